package sim

import (
	"fmt"
	"time"

	"github.com/coalmine/coalmine/results"
)

// progress is what the controller compares between reconciles to tell
// progress (conditions.RolloutProgressing): ready, available and updated
// replicas of the update, the step and the stable revision.
type progress struct {
	ready, updated int32
	step           int
	stable         string
	switched       bool
}

// checkDeadline restates the progress deadline (rollout/sync.go of Argo
// Rollouts v1.10, calculateRolloutConditions and
// evaluateProgressDeadlineAbort): any progress resets the clock; a paused
// rollout does not time out; an update that made no progress for
// progressDeadlineSeconds is timed out, and aborted when
// progressDeadlineAbort is set.
func (r *rollout) checkDeadline() {
	now := r.s.clk.now
	cur := progress{ready: r.canary.available(), updated: r.canary.current(), stable: r.stable.hash, switched: r.switched}
	if r.ro.Status.CurrentStepIndex != nil {
		cur.step = int(*r.ro.Status.CurrentStepIndex)
	}
	if r.progressAt.IsZero() || cur.ready > r.last.ready || cur.updated != r.last.updated ||
		cur.step != r.last.step || cur.stable != r.last.stable || cur.switched != r.last.switched {
		r.progressAt = now
	}
	r.last = cur
	if r.paused() || r.timedOut {
		return
	}
	deadline := r.progressAt.Add(r.s.deadline)
	if now.Before(deadline) {
		r.wakeAt(deadline.Add(time.Millisecond))
		return
	}
	r.timedOut = true
	msg := fmt.Sprintf("ReplicaSet %q has timed out progressing.", "faultapp-"+r.canary.hash)
	r.s.record(results.Event{Kind: results.EventK8sEvent, Reason: "ProgressDeadlineExceeded", Message: msg})
	if r.s.deadlineAbort {
		r.abort(msg)
	}
}

// paused reports whether the rollout waits in a pause (a pause step, an
// Inconclusive analysis, blue-green's manual promotion): no timeout then.
func (r *rollout) paused() bool {
	if r.inconclusive {
		return true
	}
	if c := r.ro.Spec.Strategy.Canary; c != nil {
		idx := int(*r.ro.Status.CurrentStepIndex)
		return idx < len(c.Steps) && c.Steps[idx].Pause != nil && r.pauseStart != nil
	}
	return !r.switched && r.pauseStart != nil
}
