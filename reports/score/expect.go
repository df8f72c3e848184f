package score

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/coalmine/coalmine/results"
)

// Expectation is one thing a scenario expects of the strategies' results.
// Strategy and Release select what it applies to: "" or "*" for all, else a
// path.Match pattern ("canary-*"); Release matches the release's version or
// its index ("2"). Checks left nil are not made.
//
// Caught and the limits on detection, restore and blast radius are checked
// on bad releases only; Promoted and MaxTimeToPromote on good ones only, so
// "every release: caught and promoted" reads naturally with wildcards.
// Durations are in observed (real) time: the caller converts scenario time.
type Expectation struct {
	Strategy string
	Release  string

	Caught                  *bool
	Promoted                *bool
	MaxTimeToDetect         *time.Duration
	MaxTimeToRestore        *time.Duration
	MaxTimeToPromote        *time.Duration
	MaxFailedRequests       *int
	MaxExcessFailedRequests *float64
	MaxUsersAffected        *int
}

// ErrUnmatched is returned (wrapped) by Apply when an expectation selects no
// strategy and release of the run: almost always a typo.
var ErrUnmatched = errors.New("expectation matches no strategy and release")

// Apply evaluates exps against every release of every strategy of r and
// stores the verdicts in the releases' Expectations, in expectation order.
// It returns an error for malformed patterns and (wrapping ErrUnmatched)
// for expectations that matched nothing; the other verdicts are still set.
func Apply(r *results.Results, exps []Expectation) error {
	matched := make([]bool, len(exps))
	for i, e := range exps {
		if err := e.validate(); err != nil {
			return fmt.Errorf("expectation %d: %w", i, err)
		}
	}
	for si := range r.Strategies {
		s := &r.Strategies[si]
		for ri := range s.Releases {
			rel := &s.Releases[ri]
			rel.Expectations = nil
			for i, e := range exps {
				if !e.matches(s.Name, rel) {
					continue
				}
				matched[i] = true
				rel.Expectations = append(rel.Expectations, e.Evaluate(rel)...)
			}
		}
	}
	var unmatched []string
	for i, ok := range matched {
		if !ok {
			unmatched = append(unmatched, fmt.Sprintf("%d (strategy %q, release %q)", i, exps[i].Strategy, exps[i].Release))
		}
	}
	if len(unmatched) > 0 {
		return fmt.Errorf("%w: %s", ErrUnmatched, strings.Join(unmatched, ", "))
	}
	return nil
}

func (e Expectation) validate() error {
	for _, p := range []string{e.Strategy, e.Release} {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("pattern %q: %w", p, err)
		}
	}
	return nil
}

// matches reports whether e selects the release of the strategy.
func (e Expectation) matches(strategy string, rel *results.ReleaseResult) bool {
	return glob(e.Strategy, strategy) &&
		(glob(e.Release, rel.Version) || glob(e.Release, strconv.Itoa(rel.Index)))
}

func glob(pattern, s string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	ok, _ := path.Match(pattern, s)
	return ok
}

// Evaluate returns e's verdicts on one release: one per check that applies
// to it (none when no check applies).
func (e Expectation) Evaluate(rel *results.ReleaseResult) []results.ExpectationResult {
	var out []results.ExpectationResult
	sc := &rel.Scores
	if rel.Bad {
		if e.Caught != nil {
			out = append(out, checkOutcome("caught", *e.Caught, sc.Outcome == results.OutcomeCaught, sc.Outcome))
		}
		out = appendMaxDuration(out, "maxTimeToDetect", "time to detect", e.MaxTimeToDetect, sc.TimeToDetectSeconds, "never detected")
		out = appendMaxDuration(out, "maxTimeToRestore", "time to restore", e.MaxTimeToRestore, sc.TimeToRestoreSeconds, "never restored")
		out = appendMax(out, "maxFailedRequests", "failed requests", e.MaxFailedRequests, float64(sc.FailedRequests))
		if e.MaxExcessFailedRequests != nil {
			out = append(out, checkMax("maxExcessFailedRequests", "excess failed requests", *e.MaxExcessFailedRequests, sc.ExcessFailedRequests))
		}
		out = appendMax(out, "maxUsersAffected", "users affected", e.MaxUsersAffected, float64(sc.UsersAffected))
		return out
	}
	if e.Promoted != nil {
		out = append(out, checkOutcome("promoted", *e.Promoted, sc.Outcome == results.OutcomePromoted, sc.Outcome))
	}
	return appendMaxDuration(out, "maxTimeToPromote", "time to promote", e.MaxTimeToPromote, sc.TimeToPromoteSeconds, "never promoted")
}

func checkOutcome(name string, want, got bool, outcome results.Outcome) results.ExpectationResult {
	r := results.ExpectationResult{Name: fmt.Sprintf("%s: %t", name, want), Passed: want == got}
	r.Reason = "outcome " + string(outcome)
	return r
}

func appendMaxDuration(out []results.ExpectationResult, name, what string, limit *time.Duration, got *float64, never string) []results.ExpectationResult {
	if limit == nil {
		return out
	}
	r := results.ExpectationResult{Name: fmt.Sprintf("%s: %s", name, *limit)}
	if got == nil {
		r.Reason = never
		return append(out, r)
	}
	d := time.Duration(*got * float64(time.Second)).Round(time.Millisecond)
	r.Passed = *got <= limit.Seconds()
	r.Reason = fmt.Sprintf("%s %s %s %s", what, d, cmpWord(r.Passed), *limit)
	return append(out, r)
}

func appendMax(out []results.ExpectationResult, name, what string, limit *int, got float64) []results.ExpectationResult {
	if limit == nil {
		return out
	}
	return append(out, checkMax(name, what, float64(*limit), got))
}

func checkMax(name, what string, limit, got float64) results.ExpectationResult {
	r := results.ExpectationResult{Name: fmt.Sprintf("%s: %s", name, num(limit)), Passed: got <= limit}
	r.Reason = fmt.Sprintf("%s %s %s %s", what, num(got), cmpWord(r.Passed), num(limit))
	return r
}

func cmpWord(passed bool) string {
	if passed {
		return "≤"
	}
	return ">"
}

// num prints whole numbers without decimals, others with one.
func num(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
