package junit

import (
	"fmt"
	"strings"

	"github.com/coalmine/coalmine/results"
)

// releaseCase is one release: failing when an expectation failed. Its
// name stays the same from run to run so CI can track history.
func releaseCase(class string, s *results.StrategyRun, rel *results.ReleaseResult) testcase {
	kind := "good"
	if rel.Bad {
		kind = "bad"
	}
	tc := testcase{
		Name:      fmt.Sprintf("release %d %s (%s)", rel.Index, rel.Version, kind),
		Classname: class, Time: secs(decisionSeconds(s, rel)), SystemOut: &text{summary(rel)},
	}
	var failed []string
	for _, e := range rel.Expectations {
		if !e.Passed {
			failed = append(failed, e.Name+": "+e.Reason)
		}
	}
	if len(failed) > 0 {
		tc.Failure = &problem{
			Message: strings.Join(failed, "; "), Type: "expectation",
			Text: "failed expectations:\n  " + strings.Join(failed, "\n  ") + "\n",
		}
	}
	return tc
}

// decisionSeconds is release → first abort/promote (0 when neither).
func decisionSeconds(s *results.StrategyRun, rel *results.ReleaseResult) float64 {
	for _, e := range s.Timeline {
		if e.Release == rel.Index && (e.Kind == results.EventAborted || e.Kind == results.EventPromoted) {
			return e.Time.Sub(rel.ReleasedAt).Seconds()
		}
	}
	return 0
}

// summary lists the release's scores, one per line.
func summary(rel *results.ReleaseResult) string {
	sc := &rel.Scores
	lines := []string{"outcome: " + string(sc.Outcome)}
	if rel.Fault != "" {
		lines = append(lines, "fault: "+rel.Fault)
	}
	opt := func(name string, v *float64) {
		if v != nil {
			lines = append(lines, fmt.Sprintf("%s: %.1fs", name, *v))
		}
	}
	opt("timeToDetect", sc.TimeToDetectSeconds)
	opt("timeToRestore", sc.TimeToRestoreSeconds)
	opt("timeToPromote", sc.TimeToPromoteSeconds)
	lines = append(lines,
		fmt.Sprintf("failedRequests: %d", sc.FailedRequests),
		fmt.Sprintf("excessFailedRequests: %.1f", sc.ExcessFailedRequests),
		fmt.Sprintf("usersAffected: %d", sc.UsersAffected),
		fmt.Sprintf("canaryRequests: %d", sc.CanaryRequests),
		fmt.Sprintf("errorRate: baseline %.4f, canary %.4f", sc.BaselineErrorRate, sc.CanaryErrorRate),
		fmt.Sprintf("canaryShare: configured %.1f%%, observed %.1f%%", sc.ConfiguredWeight, sc.ObservedShare),
	)
	if e := sc.Efficiency; e != nil {
		lines = append(lines, fmt.Sprintf("efficiency: %d canary requests to detect, SPRT limit %.1f (%.1fx)", e.RequestsToDetect, e.SPRTRequests, e.Ratio))
	}
	return strings.Join(lines, "\n")
}
