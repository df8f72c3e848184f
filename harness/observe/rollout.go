package observe

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
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

	// Analysis runs the Rollout currently points at (nil when none).
	StepAnalysis, BackgroundAnalysis, PrePromotionAnalysis, PostPromotionAnalysis *AnalysisRef
}

// ParseRollout reads a Rollout object.
func ParseRollout(u *unstructured.Unstructured) Rollout {
	o := u.Object
	r := Rollout{Name: u.GetName(), Generation: u.GetGeneration(), Replicas: 1}
	if n, ok := num(o, "spec", "replicas"); ok {
		r.Replicas = int(n)
	}
	r.CaughtUp = str(o, "status", "observedGeneration") == strconv.FormatInt(r.Generation, 10)
	r.Strategy, r.Steps = parseStrategy(o)
	r.Phase = str(o, "status", "phase")
	r.Message = str(o, "status", "message")
	r.Abort = boolean(o, "status", "abort")
	if n, ok := num(o, "status", "currentStepIndex"); ok {
		r.CurrentStepIndex = intPtr(int(n))
	}
	r.CurrentPodHash = str(o, "status", "currentPodHash")
	r.StableRS = str(o, "status", "stableRS")
	if r.StableRS == "" {
		r.StableRS = str(o, "status", "canary", "stableRS") // pre-1.0 location
	}
	for _, pc := range list(o, "status", "pauseConditions") {
		r.PauseReasons = append(r.PauseReasons, str(pc, "reason"))
	}
	if n, ok := num(o, "status", "canary", "weights", "canary", "weight"); ok {
		r.TrafficWeight = intPtr(int(n))
	}
	r.ActiveSelector = str(o, "status", "blueGreen", "activeSelector")
	r.PreviewSelector = str(o, "status", "blueGreen", "previewSelector")
	r.StatusReplicas = count(o, "replicas")
	r.UpdatedReplicas = count(o, "updatedReplicas")
	r.ReadyReplicas = count(o, "readyReplicas")
	r.AvailableReplicas = count(o, "availableReplicas")
	r.StepAnalysis = analysisRef(o, "canary", "currentStepAnalysisRunStatus")
	r.BackgroundAnalysis = analysisRef(o, "canary", "currentBackgroundAnalysisRunStatus")
	r.PrePromotionAnalysis = analysisRef(o, "blueGreen", "prePromotionAnalysisRunStatus")
	r.PostPromotionAnalysis = analysisRef(o, "blueGreen", "postPromotionAnalysisRunStatus")
	return r
}

func count(o map[string]any, field string) int {
	n, _ := num(o, "status", field)
	return int(n)
}

func analysisRef(o map[string]any, strategy, field string) *AnalysisRef {
	m, ok, _ := unstructured.NestedMap(o, "status", strategy, field)
	if !ok || str(m, "name") == "" {
		return nil
	}
	return &AnalysisRef{Name: str(m, "name"), Status: str(m, "status"), Message: str(m, "message")}
}

func parseStrategy(o map[string]any) (string, []Step) {
	if _, ok, _ := unstructured.NestedMap(o, "spec", "strategy", "blueGreen"); ok {
		return StrategyBlueGreen, nil
	}
	var steps []Step
	for _, s := range list(o, "spec", "strategy", "canary", "steps") {
		steps = append(steps, parseStep(s))
	}
	return StrategyCanary, steps
}

func parseStep(s map[string]any) Step {
	if w, ok := num(s, "setWeight"); ok {
		return Step{Kind: "setWeight", SetWeight: intPtr(int(w)), Text: fmt.Sprintf("setWeight: %d", w)}
	}
	if p, ok := s["pause"].(map[string]any); ok {
		if d, ok := p["duration"]; ok {
			return Step{Kind: "pause", Text: fmt.Sprintf("pause: %v", d)}
		}
		return Step{Kind: "pause", Text: "pause: until promoted"}
	}
	for kind := range s {
		return Step{Kind: kind, Text: kind}
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
