package sim

import (
	"fmt"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	replicasetutil "github.com/argoproj/argo-rollouts/utils/replicaset"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/coalmine/coalmine/results"
)

// rollout restates the rollout controller's canary reconcile for a
// Rollout without traffic routing (rollout/canary.go and analysis.go of
// Argo Rollouts v1.10): replica counts from Argo's own
// CalculateReplicaCountsForBasicCanary, steps completed as
// completedCurrentCanaryStep decides, Failed or Error analysis aborting,
// Inconclusive pausing.
type rollout struct {
	s          *strategySim
	ro         *v1alpha1.Rollout
	stable     *replicaSet
	canary     *replicaSet // nil when no update is in progress
	older      []*replicaSet
	revision   int
	pauseStart *time.Time
	stepRun    *analysis
	bgRun      *analysis
	queued     bool
	wakes      map[time.Time]bool
	// switched is set once blue-green's active Service selects the canary,
	// promoting once it may (the preview scales to full size first).
	switched, promoting bool
	// progressAt is the last progress of the update, last the state it
	// was judged from; timedOut and inconclusive are its pauses' ends.
	progressAt             time.Time
	last                   progress
	timedOut, inconclusive bool
	// decided and restored end the current release for the driver.
	decided, restored bool
	weight, step      int
}

// wakeAt asks for a reconcile at t (a pause or deadline ending), once per
// distinct time: reconciles come often and would pile up timers.
func (r *rollout) wakeAt(t time.Time) {
	if r.wakes[t] {
		return
	}
	if r.wakes == nil {
		r.wakes = map[time.Time]bool{}
	}
	r.wakes[t] = true
	r.s.clk.at(t, func() {
		delete(r.wakes, t)
		r.enqueue()
	})
}

// enqueue asks for a reconcile after the controller's reaction delay.
func (r *rollout) enqueue() { r.enqueueAfter(r.s.cal.Reconcile) }

func (r *rollout) enqueueAfter(d Delay) {
	if r.queued {
		return
	}
	r.queued = true
	r.s.clk.after(d.Draw(r.s.rng)+time.Millisecond, func() {
		r.queued = false
		r.reconcile()
	})
}

// release applies a new pod template: a new ReplicaSet becomes the canary.
func (r *rollout) release(rs *replicaSet) {
	if r.canary != nil && r.canary != r.stable {
		r.older = append(r.older, r.canary)
	}
	r.s.terminate(r.stepRun, r.bgRun) // Argo cancels the runs of an older revision
	r.revision++
	r.canary, r.decided, r.restored = rs, false, false
	r.ro.Status.CurrentPodHash, r.ro.Status.Abort = rs.hash, false
	r.ro.Status.CurrentStepIndex = int32Ptr(0)
	r.pauseStart, r.stepRun, r.bgRun, r.switched, r.promoting = nil, nil, nil, false, false
	r.progressAt, r.timedOut, r.inconclusive = time.Time{}, false, false
	r.step = -1
	r.enqueueAfter(r.s.cal.Release)
}

func (r *rollout) reconcile() {
	if r.canary == nil {
		return
	}
	if r.ro.Spec.Strategy.BlueGreen != nil {
		r.blueGreen()
		if !r.decided {
			r.checkDeadline()
		}
		return
	}
	if r.inconclusive && !r.ro.Status.Abort {
		return // haltProgress: no scaling, no steps, until a person acts
	}
	r.scale()
	if r.ro.Status.Abort {
		r.checkRestored()
		return
	}
	if !r.decided {
		r.checkDeadline()
	}
	r.background()
	if r.ro.Status.Abort || r.decided {
		return
	}
	r.steps()
}

// scale sets every ReplicaSet's replicas as the controller does.
func (r *rollout) scale() {
	newRS, stableRS, olderRS := r.objects()
	for _, o := range r.older {
		if o != r.stable {
			r.s.cl.scale(o, 0)
		}
	}
	if r.stable == r.canary {
		r.s.cl.scale(r.canary, *r.ro.Spec.Replicas)
		return
	}
	nc, sc := replicasetutil.CalculateReplicaCountsForBasicCanary(r.ro, newRS, stableRS, olderRS)
	r.s.cl.scale(r.canary, nc)
	r.s.cl.scale(r.stable, sc)
}

// objects returns the ReplicaSets as Argo's functions read them.
func (r *rollout) objects() (newRS, stableRS *appsv1.ReplicaSet, older []*appsv1.ReplicaSet) {
	for _, o := range r.older {
		if o != r.stable {
			older = append(older, o.object())
		}
	}
	return r.canary.object(), r.stable.object(), older
}

func (rs *replicaSet) object() *appsv1.ReplicaSet {
	n, avail := rs.desired, rs.available()
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "faultapp-" + rs.hash,
			Labels: map[string]string{v1alpha1.DefaultRolloutUniqueLabelKey: rs.hash}},
		Spec:   appsv1.ReplicaSetSpec{Replicas: &n},
		Status: appsv1.ReplicaSetStatus{Replicas: rs.current(), ReadyReplicas: avail, AvailableReplicas: avail},
	}
}

func int32Ptr(n int32) *int32 { return &n }

// steps completes the current step when it is done and moves on.
func (r *rollout) steps() {
	steps := r.ro.Spec.Strategy.Canary.Steps
	idx := int(*r.ro.Status.CurrentStepIndex)
	r.note()
	if idx >= len(steps) {
		r.promote()
		return
	}
	if !r.completed(steps[idx]) {
		return
	}
	r.ro.Status.CurrentStepIndex = int32Ptr(int32(idx + 1))
	r.pauseStart, r.stepRun = nil, nil
	r.enqueue()
}

// note records step and weight changes on the timeline.
func (r *rollout) note() {
	idx := int(*r.ro.Status.CurrentStepIndex)
	if idx != r.step {
		r.step = idx
		r.s.record(results.Event{Kind: results.EventStep, Step: intPtr(idx), Message: stepText(r.ro, idx)})
	}
	if w := int(replicasetutil.GetCurrentSetWeight(r.ro)); w != r.weight {
		r.weight = w
		r.s.record(results.Event{Kind: results.EventWeight, Weight: intPtr(w)})
	}
}

func intPtr(n int) *int { return &n }

// stepText describes step idx as the kind timeline does.
func stepText(ro *v1alpha1.Rollout, idx int) string {
	steps := ro.Spec.Strategy.Canary.Steps
	if idx >= len(steps) {
		return ""
	}
	st := steps[idx]
	switch {
	case st.SetWeight != nil:
		return fmt.Sprintf("setWeight: %d", *st.SetWeight)
	case st.Pause != nil && st.Pause.Duration != nil:
		return "pause: " + st.Pause.Duration.String()
	case st.Pause != nil:
		return "pause: until promoted"
	case st.Analysis != nil:
		return "analysis"
	}
	return "unknown"
}
