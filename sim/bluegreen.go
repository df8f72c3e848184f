package sim

import (
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"

	"github.com/coalmine/coalmine/results"
)

// blueGreen restates the rollout controller's blue-green reconcile
// (rollout/bluegreen.go of Argo Rollouts v1.10) for coalmine's Services:
// the new ReplicaSet comes up as the preview while the active Service
// keeps selecting the stable one; once it is available the pre-promotion
// analysis runs, then (auto-promotion, after autoPromotionSeconds) the
// active Service switches to it, then the post-promotion analysis runs and
// the new ReplicaSet becomes stable. A failed or errored analysis aborts:
// the active Service selects the stable ReplicaSet again and the new one
// scales down.
func (r *rollout) blueGreen() {
	bg := r.ro.Spec.Strategy.BlueGreen
	n := *r.ro.Spec.Replicas
	for _, o := range r.older {
		if o != r.stable && o.hash != r.s.cl.selector {
			r.s.cl.scale(o, 0) // never one the active Service still selects
		}
	}
	if r.ro.Status.Abort {
		r.s.cl.selectHash(r.stable.hash)
		r.s.cl.scale(r.canary, 0)
		r.noteBlueGreen()
		r.checkRestored()
		return
	}
	preview := n
	if bg.PreviewReplicaCount != nil && !r.switched && !r.promoting {
		preview = *bg.PreviewReplicaCount
	}
	r.s.cl.scale(r.canary, preview)
	r.noteBlueGreen()
	if r.decided || r.canary.available() < preview {
		return
	}
	if !r.switched {
		r.prePromotion(bg)
		return
	}
	r.postPromotion(bg)
}

// prePromotion runs the pre-promotion analysis, then switches the active
// Service when auto-promotion allows.
func (r *rollout) prePromotion(bg *v1alpha1.BlueGreenStrategy) {
	if bg.PrePromotionAnalysis != nil {
		if r.stepRun == nil {
			r.stepRun = r.s.startAnalysis(bg.PrePromotionAnalysis, "PrePromotion", r)
			return
		}
		if r.stepRun.phase() != v1alpha1.AnalysisPhaseSuccessful {
			return
		}
	}
	if bg.AutoPromotionEnabled != nil && !*bg.AutoPromotionEnabled {
		if r.pauseStart == nil {
			now := r.s.clk.now
			r.pauseStart = &now
			r.s.record(results.Event{Kind: results.EventPaused, Reason: string(v1alpha1.PauseReasonBlueGreenPause)})
		}
		return // waits for a person, who never comes
	}
	now := r.s.clk.now
	if r.pauseStart == nil {
		r.pauseStart = &now
	}
	if wait := time.Duration(bg.AutoPromotionSeconds) * time.Second; now.Before(r.pauseStart.Add(wait)) {
		r.wakeAt(r.pauseStart.Add(wait))
		return
	}
	// The active Service switches only to a saturated ReplicaSet: a preview
	// of previewReplicaCount pods scales up first (blueGreen waits for it).
	if !r.promoting && bg.PreviewReplicaCount != nil && *bg.PreviewReplicaCount < *r.ro.Spec.Replicas {
		r.promoting = true
		r.enqueue()
		return
	}
	r.switched, r.pauseStart = true, nil
	r.s.cl.selectHash(r.canary.hash)
	r.noteBlueGreen()
	r.enqueue()
}

// postPromotion runs the post-promotion analysis, then makes the new
// ReplicaSet stable; the old one scales down after scaleDownDelaySeconds.
func (r *rollout) postPromotion(bg *v1alpha1.BlueGreenStrategy) {
	if bg.PostPromotionAnalysis != nil {
		if r.bgRun == nil {
			r.bgRun = r.s.startAnalysis(bg.PostPromotionAnalysis, "PostPromotion", r)
			return
		}
		if r.bgRun.phase() != v1alpha1.AnalysisPhaseSuccessful {
			return
		}
	}
	old := r.stable
	r.stable, r.decided = r.canary, true
	r.ro.Status.StableRS = r.canary.hash
	r.s.record(results.Event{Kind: results.EventPromoted, Message: "stable revision " + r.stable.hash})
	delay := 30 * time.Second // Argo's default scaleDownDelaySeconds
	if bg.ScaleDownDelaySeconds != nil {
		delay = time.Duration(*bg.ScaleDownDelaySeconds) * time.Second
	}
	r.s.clk.after(delay, func() {
		r.older = append(r.older, old)
		r.s.cl.scale(old, 0)
	})
}

// noteBlueGreen records the share of traffic the new revision gets: all
// of it once the active Service selects it.
func (r *rollout) noteBlueGreen() {
	w := 0
	if r.s.cl.selector == r.canary.hash {
		w = 100
	}
	if w != r.weight {
		r.weight = w
		r.s.record(results.Event{Kind: results.EventWeight, Weight: intPtr(w)})
	}
}
