package outcome

import (
	"time"

	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/scenarios"
)

// expectations converts the scenario's expectations into checks of the
// scores. The scenario's blast-radius bound counts failures in excess of
// the baseline rate. The bounds are written for the scenario's own
// compressed run; a run on a clock k times slower (the simulator at
// another time scale) checks its durations and failed requests stretched
// by k (the same traffic rate over k times the time); users are a fixed
// population and keep their bound.
func expectations(s *scenarios.Scenario, k float64) []score.Expectation {
	var out []score.Expectation
	for _, x := range s.Spec.Expectations {
		e := score.Expectation{
			Strategy:         x.Strategy,
			Release:          x.Release,
			Caught:           x.Caught,
			Promoted:         x.Promoted,
			MaxTimeToDetect:  dur(x.MaxTimeToDetect, k),
			MaxTimeToRestore: dur(x.MaxTimeToRestore, k),
			MaxUsersAffected: x.MaxUsersAffected,
		}
		if x.MaxFailedRequests != nil {
			v := float64(*x.MaxFailedRequests) * k
			e.MaxExcessFailedRequests = &v
		}
		out = append(out, e)
	}
	return out
}

func dur(d *scenarios.Duration, k float64) *time.Duration {
	if d == nil {
		return nil
	}
	v := time.Duration(float64(d.Duration) * k)
	return &v
}
