package markdown

import (
	"fmt"
	"strings"

	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// releaseLine is one list item: verdict icon, strategy, release, outcome
// with its numbers, failed expectations.
func releaseLine(r *scoreboard.Row, rel *results.ReleaseResult) string {
	sc := &rel.Scores
	var failed []string
	for _, e := range rel.Expectations {
		if !e.Passed {
			failed = append(failed, fmt.Sprintf("`%s` (%s)", e.Name, esc(e.Reason)))
		}
	}
	kind := "good"
	if rel.Bad {
		kind = "bad"
		if rel.Fault != "" {
			kind += ": " + esc(rel.Fault)
		}
	}
	line := fmt.Sprintf("- %s **%s** · release %d `%s` (%s) — %s", icon(sc.Outcome, len(failed) > 0),
		esc(r.Name()), rel.Index, rel.Version, kind, outcomeText(rel))
	if len(failed) > 0 {
		line += " — failed: " + strings.Join(failed, ", ")
	}
	return line + "\n"
}

func icon(o results.Outcome, expFailed bool) string {
	switch {
	case expFailed:
		return "❌"
	case o == results.OutcomeCaught || o == results.OutcomePromoted:
		return "✅"
	default:
		return "⚠️"
	}
}

// outcomeText states the outcome with the numbers that matter for it.
func outcomeText(rel *results.ReleaseResult) string {
	sc := &rel.Scores
	harm := fmt.Sprintf("%s excess failed requests (%s failed), %s users affected",
		scoreboard.Count(sc.ExcessFailedRequests), scoreboard.Int(sc.FailedRequests), scoreboard.Int(sc.UsersAffected))
	switch sc.Outcome {
	case results.OutcomeCaught:
		restore := "never seen restored"
		if sc.TimeToRestoreSeconds != nil {
			restore = "restored after " + scoreboard.Duration(sc.TimeToRestoreSeconds)
		}
		s := fmt.Sprintf("**caught** in %s, %s, %s", scoreboard.Duration(sc.TimeToDetectSeconds), restore, harm)
		if e := sc.Efficiency; e != nil {
			s += fmt.Sprintf(", %.1f× the SPRT limit", e.Ratio)
		}
		return s
	case results.OutcomeMissed:
		return "**missed** (promoted), " + harm
	case results.OutcomeFalseAlarm:
		return "**false alarm** (aborted)"
	case results.OutcomePromoted:
		return "**promoted** in " + scoreboard.Duration(sc.TimeToPromoteSeconds)
	default:
		if rel.Bad {
			return "**timeout** (neither aborted nor promoted), " + harm
		}
		return "**timeout** (neither aborted nor promoted)"
	}
}

// esc escapes Markdown's inline specials and table pipes with backslashes,
// never with HTML entities: the same text is printed on terminals. A ">"
// inside a line is plain text in Markdown and stays as it is.
func esc(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", `\<`, "[", `\[`, "]", `\]`, "\n", " ")
	return r.Replace(s)
}
