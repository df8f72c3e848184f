package scenarios

import (
	"slices"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Budget of a library scenario on a single 2-core kind node running its
// three strategies in parallel.
const (
	libMaxDuration = 10 * time.Minute
	libMaxReplicas = 10
	libMaxPeakRPS  = 300
	libStrategies  = 3
)

func TestLibraryScenarios(t *testing.T) {
	entries := List()
	if len(entries) < 10 {
		t.Fatalf("library has %d scenarios, want ≥ 10", len(entries))
	}
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) {
			s, err := Load(e.Name)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if s.Metadata.Name != e.Name || s.Source != "library:"+e.Name {
				t.Errorf("name %q source %q", s.Metadata.Name, s.Source)
			}
			if e.Description == "" {
				t.Error("no description")
			}
			if d := s.MaxDuration(); d > libMaxDuration {
				t.Errorf("MaxDuration = %s, want ≤ %s", d, libMaxDuration)
			}
			if n := len(s.Strategies); n != libStrategies {
				t.Errorf("%d strategies, want %d", n, libStrategies)
			}
			if s.Spec.App.Replicas > libMaxReplicas {
				t.Errorf("replicas %d > %d", s.Spec.App.Replicas, libMaxReplicas)
			}
			tr := s.Spec.Traffic
			if peak := max(tr.RPS, tr.PeakRPS); peak > libMaxPeakRPS {
				t.Errorf("peak %g rps > %d", peak, libMaxPeakRPS)
			}
			if cpu := resource.MustParse(string(s.Spec.App.Resources.Requests.CPU)); cpu.MilliValue() > 10 {
				t.Errorf("cpu request %s > 10m", s.Spec.App.Resources.Requests.CPU)
			}
			if len(s.Spec.Expectations) == 0 {
				t.Error("no expectations")
			}
			for _, r := range s.Spec.Releases {
				if r.When.At != nil && s.Spec.Traffic.Until(s.Spec.Warmup.Duration, *r.When.At) > s.Spec.Traffic.DayLength.Duration/2 {
					t.Errorf("release %s at %s waits over half a day after the warmup", r.Version, r.When.At)
				}
			}
			for _, st := range s.Strategies {
				scaled, err := Scale(st, s.ScaleOptions())
				if err != nil {
					t.Errorf("Scale %s: %v", st.Name, err)
					continue
				}
				roundTrip(t, scaled)
			}
		})
	}
}

func TestLibraryStrategies(t *testing.T) {
	want := []string{"background-analysis", "bluegreen-prepromotion", "classic-steps", "fail-fast", "latency-guard", "rolling", "soak", "weighted-endpoints"}
	var got []string
	for _, e := range ListStrategies() {
		got = append(got, e.Name)
		t.Run(e.Name, func(t *testing.T) {
			s, err := LoadStrategy(e.Name)
			if err != nil {
				t.Fatalf("LoadStrategy: %v", err)
			}
			if e.Description == "" {
				t.Error("no leading comment")
			}
			for _, factor := range []float64{1, 24, 144, 1440} {
				scaled, err := Scale(s, ScaleOptions{Factor: factor, ScrapeInterval: time.Second})
				if err != nil {
					t.Fatalf("Scale ×%g: %v", factor, err)
				}
				roundTrip(t, scaled)
			}
		})
	}
	if !slices.Equal(got, want) {
		t.Errorf("strategies = %v, want %v", got, want)
	}
}

// roundTrip checks that a scaled strategy, rendered, is again a valid
// strategy file (what the run engine applies is what lint accepts).
func roundTrip(t *testing.T, scaled *ScaledStrategy) {
	t.Helper()
	y, err := scaled.YAML()
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	if _, err := ParseStrategy(y, "scaled:"+scaled.Name, scaled.Name); err != nil {
		t.Errorf("scaled %s does not parse back: %v\n%s", scaled.Name, err, y)
	}
}

func TestLibraryScenarioStrategiesAreLibraryOnes(t *testing.T) {
	lib := map[string]bool{}
	for _, e := range ListStrategies() {
		lib[e.Name] = true
	}
	used := map[string]bool{}
	for _, e := range List() {
		s, err := Load(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range s.Spec.Strategies {
			if !lib[ref] {
				t.Errorf("%s uses %q, not a library strategy", e.Name, ref)
			}
			used[ref] = true
		}
	}
	for name := range lib {
		if !used[name] {
			t.Errorf("library strategy %s is used by no library scenario", name)
		}
	}
}
