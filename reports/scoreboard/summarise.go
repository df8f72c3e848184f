package scoreboard

import (
	"slices"

	"github.com/coalmine/coalmine/results"
)

// summarise folds one strategy's releases into a row.
func summarise(run *results.Results, s *results.StrategyRun) *Row {
	r := &Row{Run: run, Strategy: s}
	var ttd, ttp []float64
	for i := range s.Releases {
		rel := &s.Releases[i]
		sc := &rel.Scores
		for _, e := range rel.Expectations {
			if e.Passed {
				r.ExpPassed++
			} else {
				r.ExpFailed++
			}
		}
		if !rel.Bad {
			r.Good++
			switch sc.Outcome {
			case results.OutcomePromoted:
				r.Promoted++
			case results.OutcomeFalseAlarm:
				r.FalseAlarms++
			default:
				r.GoodTimeouts++
			}
			if sc.TimeToPromoteSeconds != nil {
				ttp = append(ttp, *sc.TimeToPromoteSeconds)
			}
			continue
		}
		r.Bad++
		switch sc.Outcome {
		case results.OutcomeCaught:
			r.Caught++
		case results.OutcomeMissed:
			r.Missed++
		default:
			r.BadTimeouts++
		}
		if sc.TimeToDetectSeconds != nil {
			ttd = append(ttd, *sc.TimeToDetectSeconds)
		}
		if t := sc.TimeToRestoreSeconds; t == nil {
			r.Unrestored++
		} else if r.MaxTTR == nil || *t > *r.MaxTTR {
			r.MaxTTR = ptr(*t)
		}
		r.FailedRequests += sc.FailedRequests
		r.ExcessFailed += sc.ExcessFailedRequests
		r.UsersAffected += sc.UsersAffected
	}
	r.MedianTTD = median(ttd)
	r.MedianTTP = median(ttp)
	return r
}

// median of vs, nil when empty.
func median(vs []float64) *float64 {
	if len(vs) == 0 {
		return nil
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + m) / 2
	}
	return &m
}

func ptr[T any](v T) *T { return &v }
