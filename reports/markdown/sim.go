package markdown

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// WriteSim renders a Monte Carlo summary as Markdown: per strategy and
// release the outcome rate with its 95 % interval and the spread (median,
// 10th–90th percentile) of each score.
func WriteSim(ctx context.Context, w io.Writer, s *results.SimSummary) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## coalmine sim · %s\n\n", esc(s.Scenario))
	state := "complete"
	if !s.Complete {
		state = "**incomplete**: " + esc(s.IncompleteReason)
	}
	fmt.Fprintf(&b, "%d runs per strategy · seed %d · time scale %g · %s\n\n", s.Runs, s.Seed, s.TimeScale, state)
	b.WriteString("| Strategy | Release | Runs | Caught / false alarm (95 % CI) | Timeouts | Time to detect | Time to restore | Time to promote | Excess failed requests | Users affected |\n")
	b.WriteString("|:--|:--|--:|:--|--:|--:|--:|--:|--:|--:|\n")
	for _, st := range s.Strategies {
		for _, rel := range st.Releases {
			b.WriteString(simRow(st.Name, rel))
		}
		if st.Errors > 0 {
			fmt.Fprintf(&b, "| %s | — | %d failed | %s | | | | | | |\n", esc(st.Name), st.Errors, esc(st.FirstError))
		}
	}
	b.WriteString("\n<sub>Spreads are median [10th–90th percentile] over the runs where the score exists; intervals are Wilson 95 %.</sub>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("markdown sim report: %w", err)
	}
	return nil
}

func simRow(strategy string, rel results.SimRelease) string {
	kind, rate := "caught", rel.Caught
	if !rel.Bad {
		kind, rate = "false alarm", rel.FalseAlarm
	}
	rateText := "—"
	if rate != nil && rate.N > 0 {
		rateText = fmt.Sprintf("%s %s [%s, %s]", kind, pct(rate.P), pct(rate.Lo), pct(rate.Hi))
	}
	release := esc(rel.Version)
	if rel.Bad {
		release += " (bad: " + esc(rel.Fault) + ")"
	}
	return fmt.Sprintf("| %s | %s | %d | %s | %d | %s | %s | %s | %s | %s |\n", esc(strategy), release, rel.Timeout.N,
		rateText, rel.Timeout.K, spread(rel.TimeToDetect, scoreboard.Seconds), spread(rel.TimeToRestore, scoreboard.Seconds),
		spread(rel.TimeToPromote, scoreboard.Seconds), spread(rel.ExcessFailures, count), spread(rel.UsersAffected, count))
}

func pct(p float64) string { return fmt.Sprintf("%.1f %%", 100*p) }

func count(x float64) string { return scoreboard.Int(int(math.Round(x))) }

func spread(s *results.Spread, f func(float64) string) string {
	if s == nil {
		return "—"
	}
	return fmt.Sprintf("%s [%s–%s]", f(s.Median), f(s.P10), f(s.P90))
}
