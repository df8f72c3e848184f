package deploy

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/internal/golden"

	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// librarySpec renders a library strategy the way the run engine does for
// the classic 10-minute day (time scale 144, scrape 2s).
func librarySpec(t *testing.T, strategy string) Spec {
	t.Helper()
	st, err := scenarios.LoadStrategy(strategy)
	if err != nil {
		t.Fatal(err)
	}
	scaled, err := scenarios.Scale(st, scenarios.ScaleOptions{Factor: 144, ScrapeInterval: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return Spec{
		RunID: "r1a2b3", StrategyName: strategy, Namespace: "coalmine-" + strategy + "-r1a2b3",
		Strategy: scaled, Image: "coalmine/faultapp:dev", PullPolicy: "Never", NodePort: 30081, Seed: 42,
		App: scenarios.App{Replicas: 5, Resources: scenarios.Resources{
			Requests: scenarios.ResourceList{CPU: "10m", Memory: "32Mi"},
			Limits:   scenarios.ResourceList{CPU: "200m", Memory: "128Mi"},
		}},
		Pod: PodVersion{Version: "v1", Faults: `{"errors":{"rate":0.001}}`},
	}
}

func render(t *testing.T, s Spec) []byte {
	t.Helper()
	objs, err := Objects(s)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for i, o := range objs {
		y, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes()
}

func TestObjectsGolden(t *testing.T) {
	for _, strategy := range []string{"classic-steps", "rolling", "bluegreen-prepromotion"} {
		t.Run(strategy, func(t *testing.T) {
			got := render(t, librarySpec(t, strategy))
			golden.Check(t, filepath.Join("testdata", strategy+".golden.yaml"), got, *update)
		})
	}
}

func TestObjectsShape(t *testing.T) {
	tests := []struct {
		strategy string
		kinds    string
	}{
		{"classic-steps", "Namespace Service AnalysisTemplate Rollout"},
		{"rolling", "Namespace Service Rollout"},
		{"bluegreen-prepromotion", "Namespace Service Service AnalysisTemplate Rollout"},
	}
	for _, tt := range tests {
		t.Run(tt.strategy, func(t *testing.T) {
			s := librarySpec(t, tt.strategy)
			objs, err := Objects(s)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, o := range objs {
				kinds = append(kinds, o.GetKind())
				if o.GetLabels()[LabelRun] != s.RunID || o.GetLabels()[LabelStrategy] != s.StrategyName {
					t.Errorf("%s/%s labels %v", o.GetKind(), o.GetName(), o.GetLabels())
				}
				if o.GetKind() != "Namespace" && o.GetNamespace() != s.Namespace {
					t.Errorf("%s/%s in namespace %q", o.GetKind(), o.GetName(), o.GetNamespace())
				}
			}
			if got := strings.Join(kinds, " "); got != tt.kinds {
				t.Errorf("kinds = %s, want %s", got, tt.kinds)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	good := librarySpec(t, "rolling")
	tests := []struct {
		name   string
		mutate func(*Spec)
		want   string
	}{
		{"ok", func(*Spec) {}, ""},
		{"node port", func(s *Spec) { s.NodePort = 8080 }, "node port 8080"},
		{"replicas", func(s *Spec) { s.App.Replicas = 0 }, "replicas"},
		{"pull policy", func(s *Spec) { s.PullPolicy = "Sometimes" }, "pull policy"},
		{"no version", func(s *Spec) { s.Pod.Version = "" }, "version is required"},
		{"no strategy", func(s *Spec) { s.Strategy = nil }, "strategy is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			tt.mutate(&s)
			err := s.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestPodTemplateCarriesRelease(t *testing.T) {
	s := librarySpec(t, "classic-steps")
	s.Pod = PodVersion{Version: "v2", Faults: `{"errors":{"rate":0.05,"status":500}}`}
	ro, err := Rollout(s)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := yaml.Marshal(ro.Object)
	for _, want := range []string{
		"app.kubernetes.io/version: v2",
		`value: '{"errors":{"rate":0.05,"status":500}}'`,
		"name: SEED\n          value: \"42\"",
	} {
		if !bytes.Contains(y, []byte(want)) {
			t.Errorf("rendered Rollout lacks %q:\n%s", want, y)
		}
	}
}
