package sim

import (
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// aggregate accumulates one strategy's runs.
type aggregate struct {
	name string
	// counts is false when runs are scored from the timeline only.
	counts     bool
	errors     int
	firstError string
	firstRun   int
	releases   []*releaseAgg
}

type releaseAgg struct {
	index                      int
	version, fault             string
	bad                        bool
	runs                       int
	outcomes                   map[results.Outcome]int
	ttd, ttr, ttp, excess, hit sketch
}

func newAggregate(name string, sc *scenarios.Scenario, counts bool) *aggregate {
	a := &aggregate{name: name, counts: counts}
	for k, rel := range sc.Spec.Releases {
		a.releases = append(a.releases, &releaseAgg{index: k + 1, version: rel.Version, bad: rel.Bad(),
			fault: rel.Fault.Summary(), outcomes: map[results.Outcome]int{}})
	}
	return a
}

// add counts run i. A failed run counts as an error, not an outcome; the
// error of the lowest-numbered failed run is kept, whatever order the
// workers finish in.
func (a *aggregate) add(i int, sr results.StrategyRun) {
	if sr.Error != "" {
		a.errors++
		if a.firstError == "" || i < a.firstRun {
			a.firstError, a.firstRun = sr.Error, i
		}
		return
	}
	for _, rr := range sr.Releases {
		if rr.Index < 1 || rr.Index > len(a.releases) {
			continue
		}
		ra, sc := a.releases[rr.Index-1], rr.Scores
		ra.runs++
		ra.outcomes[sc.Outcome]++
		addSeconds(&ra.ttd, sc.TimeToDetectSeconds)
		addSeconds(&ra.ttr, sc.TimeToRestoreSeconds)
		addSeconds(&ra.ttp, sc.TimeToPromoteSeconds)
		if a.counts {
			ra.excess.add(max(sc.ExcessFailedRequests, 0))
			ra.hit.add(float64(sc.UsersAffected))
		}
	}
}

func addSeconds(s *sketch, x *float64) {
	if x != nil {
		s.add(*x)
	}
}

func (a *aggregate) summary() results.SimStrategy {
	s := results.SimStrategy{Name: a.name, Errors: a.errors, FirstError: a.firstError}
	for _, ra := range a.releases {
		rs := results.SimRelease{Index: ra.index, Version: ra.version, Bad: ra.bad, Fault: ra.fault,
			Outcomes: ra.outcomes, Timeout: NewRate(ra.outcomes[results.OutcomeTimeout], ra.runs),
			TimeToDetect: ra.ttd.spread(), TimeToRestore: ra.ttr.spread(), TimeToPromote: ra.ttp.spread(),
			ExcessFailures: ra.excess.spread(), UsersAffected: ra.hit.spread()}
		aborted := ra.outcomes[results.OutcomeCaught] + ra.outcomes[results.OutcomeFalseAlarm]
		if r := NewRate(aborted, ra.runs); ra.bad {
			rs.Caught = &r
		} else {
			rs.FalseAlarm = &r
		}
		s.Releases = append(s.Releases, rs)
	}
	return s
}
