package run

import (
	"time"

	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/scenarios"
)

// expectations converts the scenario's expectations into checks of the
// scores. The scenario's blast-radius bound counts failures in excess of
// the baseline rate.
func expectations(s *scenarios.Scenario) []score.Expectation {
	var out []score.Expectation
	for _, x := range s.Spec.Expectations {
		e := score.Expectation{
			Strategy:         x.Strategy,
			Release:          x.Release,
			Caught:           x.Caught,
			Promoted:         x.Promoted,
			MaxTimeToDetect:  dur(x.MaxTimeToDetect),
			MaxTimeToRestore: dur(x.MaxTimeToRestore),
			MaxUsersAffected: x.MaxUsersAffected,
		}
		if x.MaxFailedRequests != nil {
			v := float64(*x.MaxFailedRequests)
			e.MaxExcessFailedRequests = &v
		}
		out = append(out, e)
	}
	return out
}

func dur(d *scenarios.Duration) *time.Duration {
	if d == nil {
		return nil
	}
	v := d.Duration
	return &v
}
