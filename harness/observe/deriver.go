package observe

import (
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/coalmine/coalmine/results"
)

// Deriver turns the sequence of objects seen in one namespace into timeline
// events. It is a pure state machine: it keeps the latest objects, and each
// call returns the events the new object implies, stamped with now and the
// current release index. It is not safe for concurrent use (Observer
// serialises calls).
type Deriver struct {
	rolloutName string
	release     int
	// baseHash is the stable revision when the current release began.
	baseHash string
	rel      releaseState

	ro       *Rollout
	rs       map[string]ReplicaSet
	runs     map[string]*AnalysisRun
	runOrder []string
	ended    map[string]bool
	measured map[measurementKey]bool
	seenEv   map[string]int
	step     *int
	weight   *int
	pauses   map[string]bool
}

// releaseState is what happened to the current release so far.
type releaseState struct {
	aborted, promoted, restored bool
}

type measurementKey struct {
	run, metric, phase, value string
	started, finished         time.Time
}

// NewDeriver returns a Deriver following the Rollout named rollout ("" =
// any Rollout in the namespace), starting at release 0.
func NewDeriver(rollout string) *Deriver {
	return &Deriver{
		rolloutName: rollout,
		rs:          map[string]ReplicaSet{},
		runs:        map[string]*AnalysisRun{},
		ended:       map[string]bool{},
		measured:    map[measurementKey]bool{},
		seenEv:      map[string]int{},
		pauses:      map[string]bool{},
	}
}

// BeginRelease attributes the following events to release i. Call it just
// before the Rollout's pod template is changed: the stable revision at that
// moment is the one a promotion must replace.
//
// The next caught-up Rollout status then reports its step and weight again,
// so that every release's part of the timeline starts with them.
func (d *Deriver) BeginRelease(i int) {
	d.release = i
	d.rel = releaseState{}
	d.step, d.weight = nil, nil
	d.baseHash = ""
	if d.ro != nil {
		d.baseHash = d.ro.StableRS
	}
}

// Rollout handles an added or updated Rollout.
func (d *Deriver) Rollout(now time.Time, u *unstructured.Unstructured) []results.Event {
	if d.rolloutName != "" && u.GetName() != d.rolloutName {
		return nil
	}
	r := ParseRollout(u)
	d.ro = &r
	if !r.CaughtUp { // status still describes an older spec
		return nil
	}
	var evs []results.Event
	if r.CurrentStepIndex != nil && (d.step == nil || *d.step != *r.CurrentStepIndex) {
		d.step = intPtr(*r.CurrentStepIndex)
		evs = append(evs, d.event(now, results.Event{Kind: results.EventStep, Step: intPtr(*d.step), Message: r.StepText()}))
	}
	if w := r.ConfiguredWeight(); d.weight == nil || *d.weight != w {
		d.weight = intPtr(w)
		evs = append(evs, d.event(now, results.Event{Kind: results.EventWeight, Weight: intPtr(w)}))
	}
	evs = append(evs, d.pauseEvents(now, r.PauseReasons)...)
	if r.Abort && !d.rel.aborted {
		evs = append(evs, d.abort(now, ReasonRolloutAborted, r.Message))
	}
	return append(evs, d.settle(now)...)
}

func (d *Deriver) pauseEvents(now time.Time, reasons []string) []results.Event {
	var evs []results.Event
	cur := map[string]bool{}
	for _, reason := range reasons {
		cur[reason] = true
		if !d.pauses[reason] {
			evs = append(evs, d.event(now, results.Event{Kind: results.EventPaused, Reason: reason}))
		}
	}
	d.pauses = cur
	return evs
}

func (d *Deriver) abort(now time.Time, reason, msg string) results.Event {
	d.rel.aborted = true
	return d.event(now, results.Event{Kind: results.EventAborted, Reason: reason, Message: msg})
}

// settle emits promoted and restored once their conditions hold.
func (d *Deriver) settle(now time.Time) []results.Event {
	r := d.ro
	if r == nil || !r.CaughtUp {
		return nil
	}
	switch {
	case !d.rel.aborted && !d.rel.promoted && r.Settled() && r.StableRS != d.baseHash:
		d.rel.promoted = true
		return []results.Event{d.event(now, results.Event{Kind: results.EventPromoted, Message: "stable revision " + r.StableRS})}
	case d.rel.aborted && !d.rel.restored && d.stableRestored():
		d.rel.restored = true
		return []results.Event{d.event(now, results.Event{Kind: results.EventRestored, Message: "stable revision " + r.StableRS + " fully available"})}
	}
	return nil
}

// stableRestored: after an abort, the stable ReplicaSet is fully available
// and serves alone: no other revision has available pods behind the Service
// (canary), or the active Service selects stable again (blue-green).
func (d *Deriver) stableRestored() bool {
	r := d.ro
	if len(d.rs) == 0 { // no ReplicaSet data: fall back on the Rollout's counts
		return r.AvailableReplicas >= r.Replicas && r.UpdatedReplicas == 0
	}
	stable, others := 0, 0
	for _, rs := range d.rs {
		if rs.PodHash == r.StableRS {
			stable += rs.Available
		} else {
			others += rs.Available
		}
	}
	if r.Strategy == StrategyBlueGreen { // the active Service must select stable again
		return stable >= r.Replicas && r.ActiveSelector == r.StableRS
	}
	return stable >= r.Replicas && others == 0
}

// ReplicaSet handles an added or updated ReplicaSet.
func (d *Deriver) ReplicaSet(now time.Time, u *unstructured.Unstructured) []results.Event {
	rs := ParseReplicaSet(u)
	d.rs[rs.Name] = rs
	return d.settle(now)
}

// ReplicaSetDeleted handles a deleted ReplicaSet.
func (d *Deriver) ReplicaSetDeleted(now time.Time, name string) []results.Event {
	delete(d.rs, name)
	return d.settle(now)
}

// event stamps e with now and the current release.
func (d *Deriver) event(now time.Time, e results.Event) results.Event {
	e.Time = now
	e.Release = d.release
	return e
}

// sortedRuns returns the AnalysisRuns seen, oldest first.
func (d *Deriver) sortedRuns() []AnalysisRun {
	out := make([]AnalysisRun, 0, len(d.runOrder))
	for _, name := range d.runOrder {
		out = append(out, *d.runs[name])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out
}
