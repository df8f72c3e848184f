package observe

import (
	"fmt"
	"strconv"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// Strategy kinds of a Rollout.
const (
	StrategyCanary    = "canary"
	StrategyBlueGreen = "blueGreen"
)

// Rollout phases reported by the controller.
const (
	PhaseHealthy     = "Healthy"
	PhaseProgressing = "Progressing"
	PhasePaused      = "Paused"
	PhaseDegraded    = "Degraded"
)

// Step is one canary step, reduced to what the timeline shows.
type Step struct {
	// Kind is setWeight, pause, analysis, experiment, setCanaryScale...
	Kind string
	// SetWeight is the weight of a setWeight step.
	SetWeight *int
	// Text is a short description, e.g. "setWeight: 20" or "pause: 30s".
	Text string
}

// AnalysisRef is a Rollout's pointer to one of its AnalysisRuns.
type AnalysisRef struct {
	Name    string
	Status  string
	Message string
}

// Rollout is the part of an argoproj.io/v1alpha1 Rollout the observer uses.
type Rollout struct {
	Name       string
	Generation int64
	// CaughtUp is true when the controller has observed the latest spec.
	CaughtUp bool
	// Replicas is spec.replicas (default 1).
	Replicas int
	Strategy string
	Steps    []Step

	Phase            string
	Message          string
	Abort            bool
	CurrentStepIndex *int
	CurrentPodHash   string
	StableRS         string
	PauseReasons     []string
	// TrafficWeight is status.canary.weights.canary.weight (traffic routing only).
	TrafficWeight *int
	// ActiveSelector and PreviewSelector are the blue-green service selectors.
	ActiveSelector  string
	PreviewSelector string

	StatusReplicas, UpdatedReplicas, ReadyReplicas, AvailableReplicas int

	// InvalidSpec is the message of a true InvalidSpec condition: the
	// controller rejected the spec and will never progress it.
	InvalidSpec string

	// Analysis runs the Rollout currently points at (nil when none).
	StepAnalysis, BackgroundAnalysis, PrePromotionAnalysis, PostPromotionAnalysis *AnalysisRef
}

// ParseRollout reads a Rollout object through Argo Rollouts' own type.
// An object that does not convert (never seen from a real controller)
// yields a Rollout whose Message says why.
func ParseRollout(u *unstructured.Unstructured) Rollout {
	r := Rollout{Name: u.GetName(), Generation: u.GetGeneration(), Replicas: 1}
	var ro v1alpha1.Rollout
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &ro); err != nil {
		r.Message = fmt.Sprintf("unreadable Rollout: %v", err)
		return r
	}
	if ro.Spec.Replicas != nil {
		r.Replicas = int(*ro.Spec.Replicas)
	}
	st := &ro.Status
	r.CaughtUp = st.ObservedGeneration == strconv.FormatInt(r.Generation, 10)
	r.Strategy, r.Steps = parseStrategy(ro.Spec.Strategy)
	r.Phase, r.Message, r.Abort = string(st.Phase), st.Message, st.Abort
	if st.CurrentStepIndex != nil {
		r.CurrentStepIndex = intPtr(int(*st.CurrentStepIndex))
	}
	r.CurrentPodHash, r.StableRS = st.CurrentPodHash, st.StableRS
	for _, pc := range st.PauseConditions {
		r.PauseReasons = append(r.PauseReasons, string(pc.Reason))
	}
	if w := st.Canary.Weights; w != nil {
		r.TrafficWeight = intPtr(int(w.Canary.Weight))
	}
	r.ActiveSelector, r.PreviewSelector = st.BlueGreen.ActiveSelector, st.BlueGreen.PreviewSelector
	r.StatusReplicas, r.UpdatedReplicas = int(st.Replicas), int(st.UpdatedReplicas)
	r.ReadyReplicas, r.AvailableReplicas = int(st.ReadyReplicas), int(st.AvailableReplicas)
	r.StepAnalysis = analysisRef(st.Canary.CurrentStepAnalysisRunStatus)
	r.BackgroundAnalysis = analysisRef(st.Canary.CurrentBackgroundAnalysisRunStatus)
	r.PrePromotionAnalysis = analysisRef(st.BlueGreen.PrePromotionAnalysisRunStatus)
	r.PostPromotionAnalysis = analysisRef(st.BlueGreen.PostPromotionAnalysisRunStatus)
	for _, c := range st.Conditions {
		if c.Type == v1alpha1.InvalidSpec && c.Status == corev1.ConditionTrue {
			r.InvalidSpec = c.Message
		}
	}
	return r
}

func analysisRef(s *v1alpha1.RolloutAnalysisRunStatus) *AnalysisRef {
	if s == nil || s.Name == "" {
		return nil
	}
	return &AnalysisRef{Name: s.Name, Status: string(s.Status), Message: s.Message}
}

func parseStrategy(s v1alpha1.RolloutStrategy) (string, []Step) {
	if s.BlueGreen != nil {
		return StrategyBlueGreen, nil
	}
	if s.Canary == nil {
		return StrategyCanary, nil
	}
	steps := make([]Step, 0, len(s.Canary.Steps))
	for _, st := range s.Canary.Steps {
		steps = append(steps, parseStep(st))
	}
	return StrategyCanary, steps
}

func parseStep(s v1alpha1.CanaryStep) Step {
	switch {
	case s.SetWeight != nil:
		return Step{Kind: "setWeight", SetWeight: intPtr(int(*s.SetWeight)), Text: fmt.Sprintf("setWeight: %d", *s.SetWeight)}
	case s.Pause != nil && s.Pause.Duration != nil:
		return Step{Kind: "pause", Text: "pause: " + s.Pause.Duration.String()}
	case s.Pause != nil:
		return Step{Kind: "pause", Text: "pause: until promoted"}
	}
	kinds := []struct {
		set  bool
		kind string
	}{{s.Analysis != nil, "analysis"}, {s.Experiment != nil, "experiment"}, {s.SetCanaryScale != nil, "setCanaryScale"},
		{s.SetHeaderRoute != nil, "setHeaderRoute"}, {s.SetMirrorRoute != nil, "setMirrorRoute"}, {s.Plugin != nil, "plugin"}}
	for _, k := range kinds {
		if k.set {
			return Step{Kind: k.kind, Text: k.kind}
		}
	}
	return Step{Kind: "unknown", Text: "unknown"}
}

// stepIndex is the controller's current step index (0 when unset).
func (r Rollout) stepIndex() int {
	if r.CurrentStepIndex == nil {
		return 0
	}
	return *r.CurrentStepIndex
}

// ConfiguredWeight is the share of traffic (%) the controller is configured
// to give the Rollout's current revision. It follows Argo Rollouts'
// GetCurrentSetWeight: 0 when aborted, the traffic router's weight when
// there is one, else the last setWeight at or before the current step, and
// 100 once the steps are done (or when there are none) and for the first
// revision, which has no stable one to share with. Blue-green gives
// the new revision all traffic once the active service selects it.
func (r Rollout) ConfiguredWeight() int {
	switch {
	case r.Abort:
		return 0
	case r.StableRS == "" || r.StableRS == r.CurrentPodHash:
		return 100 // the initial revision, or fully promoted
	case r.Strategy == StrategyBlueGreen:
		if r.ActiveSelector != "" && r.ActiveSelector == r.CurrentPodHash {
			return 100
		}
		return 0
	case r.TrafficWeight != nil:
		return *r.TrafficWeight
	}
	idx := r.stepIndex()
	if idx >= len(r.Steps) {
		return 100
	}
	for i := idx; i >= 0; i-- {
		if w := r.Steps[i].SetWeight; w != nil {
			return *w
		}
	}
	return 0
}

// StepText describes the current step ("" when done or without steps).
func (r Rollout) StepText() string {
	idx := r.stepIndex()
	if r.Strategy != StrategyCanary || idx >= len(r.Steps) {
		return ""
	}
	return r.Steps[idx].Text
}

// Settled reports whether the controller has caught up and the current
// revision is the stable one, fully available and Healthy.
func (r Rollout) Settled() bool {
	return r.CaughtUp && !r.Abort && r.Phase == PhaseHealthy &&
		r.StableRS != "" && r.StableRS == r.CurrentPodHash &&
		r.AvailableReplicas >= r.Replicas
}
