package sim

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// Fit fits a calibration from kind runs: each delay's samples are the
// ones the runs' timelines and per-second series show. names label the
// runs in the provenance (one per run).
//
//   - podReady: a setWeight step (of a release without a crash or
//     readiness fault) that raised the canary
//     weight, to the next step (its new canary pod available, plus one
//     reconcile)
//   - release: a release applied, to the controller's first step event
//   - reconcile: an AnalysisRun's end, to the rollout's next step, abort
//     or promotion
//   - analysisStart: an analysis step reached, to its AnalysisRun's start
//   - latency and latencyTail: per second before the first release (no
//     fault, no pod churn), its median and its 99th percentile
func Fit(runs []*results.Results, names []string, now time.Time) (*Calibration, error) {
	if len(runs) == 0 || len(runs) != len(names) {
		return nil, errors.New("calibrate: want one name per run and at least one run")
	}
	c := &Calibration{Provenance: Provenance{Runs: names, FittedAt: now.UTC()}}
	comps := map[string]bool{}
	for i, r := range runs {
		if r.Environment.Kind != "kind" && r.Environment.Kind != "existing" {
			return nil, fmt.Errorf("calibrate: %s: environment %q is not a real cluster", names[i], r.Environment.Kind)
		}
		for k, v := range r.Components {
			comps[k+" "+v] = true
		}
		slow := slowStarts(r)
		for _, sr := range r.Strategies {
			fitTimeline(c, sr.Timeline, slow)
			fitLatency(c, sr)
		}
	}
	for k := range comps {
		c.Provenance.Components = append(c.Provenance.Components, k)
	}
	sortStrings(c.Provenance.Components)
	return c, c.validate("fit")
}

// fitTimeline adds the delays one strategy's timeline shows.
//
// An interval in which the rollout controller restarted (its informer
// re-added the Rollout) measures the restart, not a reaction, and is
// dropped; so are pod starts of releases with a crash or readiness fault
// (the simulator adds those faults to the start delay itself).
func fitTimeline(c *Calibration, tl []results.Event, slow map[int]bool) {
	var released, weightStep, analysisStep, ended *results.Event
	for i := range tl {
		e := &tl[i]
		switch e.Kind {
		case results.EventK8sEvent:
			if e.Reason == "RolloutAddedToInformer" {
				released, weightStep, analysisStep, ended = nil, nil, nil, nil
			}
		case results.EventReleased:
			released = e
		case results.EventAnalysisEnd:
			ended = e
		case results.EventAborted, results.EventPromoted:
			if ended != nil {
				c.Reconcile.add(e.Time.Sub(ended.Time))
				ended = nil
			}
		case results.EventAnalysisStart:
			if analysisStep != nil {
				c.AnalysisStart.add(e.Time.Sub(analysisStep.Time))
				analysisStep = nil
			}
		case results.EventStep:
			if released != nil {
				c.Release.add(e.Time.Sub(released.Time))
				released = nil
			}
			if ended != nil {
				c.Reconcile.add(e.Time.Sub(ended.Time))
				ended = nil
			}
			if weightStep != nil {
				c.PodReady.add(e.Time.Sub(weightStep.Time))
			}
			weightStep, analysisStep = nil, nil
			switch {
			case strings.HasPrefix(e.Message, "setWeight: ") && e.Release > 0 && slow != nil && !slow[e.Release] && raisesWeight(tl, i):
				weightStep = e
			case e.Message == "analysis":
				analysisStep = e
			}
		}
	}
}

// slowStarts are the indexes of the run's releases whose faults change how
// a pod starts (crash, readiness), read from the scenario as it ran (a
// scenario that no longer parses gives nil: no pod start of it is used).
func slowStarts(r *results.Results) map[int]bool {
	sc, err := scenarios.Parse([]byte(r.Scenario.YAML), r.Scenario.Name, "")
	if err != nil {
		return nil
	}
	out := map[int]bool{}
	for k, rel := range sc.Spec.Releases {
		f, err := rel.Fault.Decode()
		out[k+1] = err != nil || f.Crash != nil || f.Readiness != nil
	}
	return out
}

// raisesWeight reports whether the step event at i is followed by a
// higher configured weight before the next step.
func raisesWeight(tl []results.Event, i int) bool {
	prev := -1
	for _, e := range tl[:i] {
		if e.Kind == results.EventWeight && e.Weight != nil {
			prev = *e.Weight
		}
	}
	for _, e := range tl[i:] {
		if e.Kind == results.EventStep && e.Time.After(tl[i].Time) {
			break
		}
		if e.Kind == results.EventWeight && e.Weight != nil && *e.Weight > prev && *e.Weight < 100 {
			return true
		}
	}
	return false
}

// fitLatency adds the latency of the seconds before the first release
// (steady state: no fault, no pod churn).
func fitLatency(c *Calibration, sr results.StrategyRun) {
	var first time.Time
	for _, e := range sr.Timeline {
		if e.Kind == results.EventReleased && (first.IsZero() || e.Time.Before(first)) {
			first = e.Time
		}
	}
	for _, s := range sr.Series {
		if !time.Unix(s.T+1, 0).Before(first) || s.Requests < 20 || s.Errors > 0 {
			continue
		}
		c.Latency.Samples = append(c.Latency.Samples, s.P50Ms/1000)
		c.LatencyTail.Samples = append(c.LatencyTail.Samples, s.P99Ms/1000)
	}
}

func (d *Delay) add(x time.Duration) {
	if x >= 0 {
		d.Samples = append(d.Samples, x.Seconds())
	}
}
