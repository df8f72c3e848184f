package sim

import (
	"fmt"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	replicasetutil "github.com/argoproj/argo-rollouts/utils/replicaset"

	"github.com/coalmine/coalmine/results"
)

// completed is completedCurrentCanaryStep for the step kinds a strategy
// file may use without a traffic router.
func (r *rollout) completed(st v1alpha1.CanaryStep) bool {
	now := r.s.clk.now
	switch {
	case st.SetWeight != nil:
		newRS, stableRS, older := r.objects()
		return replicasetutil.AtDesiredReplicaCountsForCanary(r.ro, newRS, stableRS, older, nil)
	case st.Pause != nil:
		if r.pauseStart == nil {
			r.pauseStart = &now
			r.s.record(results.Event{Kind: results.EventPaused, Reason: string(v1alpha1.PauseReasonCanaryPauseStep)})
			if d := st.Pause.DurationSeconds(); d >= 0 {
				r.wakeAt(now.Add(time.Duration(d) * time.Second))
			}
		}
		d := st.Pause.DurationSeconds()
		return d >= 0 && !now.Before(r.pauseStart.Add(time.Duration(d)*time.Second))
	case st.Analysis != nil:
		if r.stepRun == nil {
			r.stepRun = r.s.startAnalysis(st.Analysis, "Step", r)
			return false
		}
		return r.stepRun.phase() == v1alpha1.AnalysisPhaseSuccessful
	}
	return false
}

// analysisEnded reacts to a finished AnalysisRun of the rollout.
func (r *rollout) analysisEnded(a *analysis) {
	if a != r.stepRun && a != r.bgRun {
		return // a run of an earlier step or revision
	}
	switch a.phase() {
	case v1alpha1.AnalysisPhaseFailed, v1alpha1.AnalysisPhaseError:
		what := map[string]string{"Step": "Step-based", "Background": "Background",
			"PrePromotion": "PrePromotion", "PostPromotion": "PostPromotion"}[a.kind]
		r.abort(fmt.Sprintf("%s analysis phase error/failed: %s", what, a.run.AnalysisRun().Status.Message))
	case v1alpha1.AnalysisPhaseInconclusive:
		// The controller pauses and waits for a person, who never comes.
		r.inconclusive = true
		r.s.record(results.Event{Kind: results.EventPaused, Reason: string(v1alpha1.PauseReasonInconclusiveAnalysis)})
	default:
		r.enqueue()
	}
}

// background starts the background analysis once its starting step is
// reached.
func (r *rollout) background() {
	c := r.ro.Spec.Strategy.Canary
	if c.Analysis == nil || r.bgRun != nil || r.stable == r.canary {
		return
	}
	start := int32(0)
	if c.Analysis.StartingStep != nil {
		start = *c.Analysis.StartingStep
	}
	if *r.ro.Status.CurrentStepIndex >= start {
		r.bgRun = r.s.startAnalysis(&c.Analysis.RolloutAnalysis, "Background", r)
	}
}

// abort aborts the update: the canary scales down, the stable up.
func (r *rollout) abort(msg string) {
	if r.ro.Status.Abort || r.decided {
		return
	}
	r.ro.Status.Abort, r.decided = true, true
	r.s.terminate(r.stepRun, r.bgRun)
	r.s.record(results.Event{Kind: results.EventAborted, Reason: "RolloutAborted",
		Message: fmt.Sprintf("Rollout aborted update to revision %d: %s", r.revision+1, msg)})
	if r.ro.Spec.Strategy.Canary != nil {
		r.ro.Status.CurrentStepIndex = int32Ptr(0)
		r.note()
	}
	r.enqueue()
}

// checkRestored records when, after an abort, the stable ReplicaSet is
// fully available and no other revision has a pod behind the Service.
func (r *rollout) checkRestored() {
	if r.restored || r.stable.available() < *r.ro.Spec.Replicas {
		return
	}
	for _, p := range r.canary.pods {
		if p.routed && (r.s.cl.selector == "" || r.s.cl.selector == p.rs.hash) {
			return
		}
	}
	r.restored = true
	r.s.record(results.Event{Kind: results.EventRestored, Message: "stable revision " + r.stable.hash + " fully available"})
}

// promote makes the canary stable once it is fully available.
func (r *rollout) promote() {
	if r.canary.available() < *r.ro.Spec.Replicas {
		return
	}
	r.s.terminate(r.bgRun)
	r.older = append(r.older, r.stable)
	r.stable, r.decided = r.canary, true
	r.ro.Status.StableRS = r.canary.hash
	r.s.record(results.Event{Kind: results.EventPromoted, Message: "stable revision " + r.stable.hash})
	r.enqueue()
}
