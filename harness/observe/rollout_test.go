package observe

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestConfiguredWeight(t *testing.T) {
	w := func(n int) *int { return &n }
	steps := []Step{{Kind: "setWeight", SetWeight: w(20)}, {Kind: "pause"}, {Kind: "analysis"}, {Kind: "setWeight", SetWeight: w(60)}, {Kind: "pause"}}
	tests := []struct {
		name string
		r    Rollout
		want int
	}{
		{"first step", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(0), CurrentPodHash: "b", StableRS: "a"}, 20},
		{"unset index is step 0", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentPodHash: "b", StableRS: "a"}, 20},
		{"pause keeps previous weight", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(2), CurrentPodHash: "b", StableRS: "a"}, 20},
		{"later setWeight", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(4), CurrentPodHash: "b", StableRS: "a"}, 60},
		{"steps done", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(5), CurrentPodHash: "b", StableRS: "a"}, 100},
		{"no steps (rolling update)", Rollout{Strategy: StrategyCanary, CurrentPodHash: "b", StableRS: "a"}, 100},
		{"pause before any setWeight", Rollout{Strategy: StrategyCanary, Steps: steps[1:], CurrentStepIndex: w(0), CurrentPodHash: "b", StableRS: "a"}, 0},
		{"aborted", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(3), Abort: true, CurrentPodHash: "b", StableRS: "a"}, 0},
		{"traffic router weight", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(3), TrafficWeight: w(7), CurrentPodHash: "b", StableRS: "a"}, 7},
		{"initial revision, no stable yet", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(0), CurrentPodHash: "a"}, 100},
		{"stable is current", Rollout{Strategy: StrategyCanary, Steps: steps, CurrentStepIndex: w(0), CurrentPodHash: "a", StableRS: "a"}, 100},
		{"blue-green preview", Rollout{Strategy: StrategyBlueGreen, ActiveSelector: "a", CurrentPodHash: "b", StableRS: "a"}, 0},
		{"blue-green switched", Rollout{Strategy: StrategyBlueGreen, ActiveSelector: "b", CurrentPodHash: "b", StableRS: "a"}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.ConfiguredWeight(); got != tt.want {
				t.Errorf("ConfiguredWeight() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestParseRollout(t *testing.T) {
	r := ParseRollout(ro{gen: 3, observed: 3, steps: classicSteps(), step: i64(1), hash: "h2", stable: "h1", phase: "Paused",
		pauses: []string{"CanaryPauseStep"}, available: 5, upd: 1}.obj())
	if !r.CaughtUp || r.Replicas != 5 || r.Strategy != StrategyCanary || len(r.Steps) != 5 {
		t.Fatalf("parsed %+v", r)
	}
	if r.StepText() != "pause: 10s" || r.Steps[0].Text != "setWeight: 20" || r.Steps[4].Text != "pause: until promoted" {
		t.Errorf("step texts %q %q %q", r.StepText(), r.Steps[0].Text, r.Steps[4].Text)
	}
	if len(r.PauseReasons) != 1 || r.PauseReasons[0] != "CanaryPauseStep" || r.UpdatedReplicas != 1 {
		t.Errorf("status fields %+v", r)
	}
	stale := ParseRollout(ro{gen: 4, observed: 3, steps: classicSteps()}.obj())
	if stale.CaughtUp {
		t.Error("observedGeneration 3 of generation 4 parsed as caught up")
	}
}

func TestInvalidSpec(t *testing.T) {
	cond := func(msg string) Snapshot {
		u := ro{gen: 1, observed: 1, steps: classicSteps()}.obj()
		conds := []any{map[string]any{"type": "InvalidSpec", "status": "True", "reason": "InvalidSpec", "message": msg}}
		if err := unstructured.SetNestedSlice(u.Object, conds, "status", "conditions"); err != nil {
			t.Fatal(err)
		}
		r := ParseRollout(u)
		return Snapshot{Rollout: &r}
	}
	const rejected = "The Rollout \"faultapp\" is invalid: spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can only be used with traffic routing"
	if got := cond(rejected).InvalidSpec(); got != rejected {
		t.Errorf("InvalidSpec() = %q, want the condition's message", got)
	}
	if got := cond("The Rollout \"faultapp\" is invalid: spec.strategy.canary.steps[1].analysis.templates: Invalid value: \"rate\": AnalysisTemplate 'rate' not found").InvalidSpec(); got != "" {
		t.Errorf("a template the controller has not seen yet is final: %q", got)
	}
	if got := (Snapshot{Rollout: &Rollout{}}).InvalidSpec(); got != "" {
		t.Errorf("no condition: %q", got)
	}
}
