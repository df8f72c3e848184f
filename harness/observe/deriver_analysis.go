package observe

import (
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/coalmine/coalmine/results"
)

// AnalysisRun handles an added or updated AnalysisRun: its start, every
// finished measurement (once), and its end.
func (d *Deriver) AnalysisRun(now time.Time, u *unstructured.Unstructured) []results.Event {
	a := ParseAnalysisRun(u)
	if d.rolloutName != "" && a.Rollout != d.rolloutName {
		return nil
	}
	var evs []results.Event
	if _, seen := d.runs[a.Name]; !seen {
		d.runOrder = append(d.runOrder, a.Name)
		evs = append(evs, d.event(now, results.Event{Kind: results.EventAnalysisStart, AnalysisRun: a.Name, Message: a.Type}))
	}
	d.runs[a.Name] = &a
	for _, m := range a.Metrics {
		evs = append(evs, d.measurements(now, a.Name, m)...)
	}
	if Terminal(a.Phase) && !d.ended[a.Name] {
		d.ended[a.Name] = true
		evs = append(evs, d.event(now, results.Event{Kind: results.EventAnalysisEnd, AnalysisRun: a.Name, Phase: a.Phase, Message: a.Message}))
	}
	return evs
}

func (d *Deriver) measurements(now time.Time, run string, m Metric) []results.Event {
	var evs []results.Event
	for _, ms := range m.Measurements {
		if ms.FinishedAt.IsZero() || !Terminal(ms.Phase) {
			continue // still running
		}
		k := measurementKey{run: run, metric: m.Name, phase: ms.Phase, value: ms.Value, started: ms.StartedAt, finished: ms.FinishedAt}
		if d.measured[k] {
			continue
		}
		d.measured[k] = true
		evs = append(evs, d.event(now, results.Event{
			Kind: results.EventMeasurement, AnalysisRun: run, Metric: m.Name,
			Phase: ms.Phase, Value: ms.Value, Message: ms.Message,
		}))
	}
	return evs
}

// Event handles an added or updated core Event about a Rollout or an
// AnalysisRun: it is kept as a k8s-event, and a RolloutAborted event marks
// the current release aborted (with the controller's message) if the
// Rollout's status has not done so already.
func (d *Deriver) Event(now time.Time, u *unstructured.Unstructured) []results.Event {
	e := ParseEvent(u)
	if e.Kind != "Rollout" && e.Kind != "AnalysisRun" {
		return nil
	}
	if last, seen := d.seenEv[e.UID]; seen && e.Count <= last {
		return nil
	}
	d.seenEv[e.UID] = e.Count
	evs := []results.Event{d.event(now, results.Event{Kind: results.EventK8sEvent, Reason: e.Reason, Message: e.Message})}
	if e.Reason == ReasonRolloutAborted && d.release > 0 && !d.rel.aborted {
		evs = append(evs, d.abort(now, e.Reason, e.Message))
		evs = append(evs, d.settle(now)...)
	}
	return evs
}
