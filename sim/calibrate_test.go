package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/results"
)

func TestFitFromKindRun(t *testing.T) {
	r, err := results.Read(filepath.Join("..", "reports", "testdata", "kind-peak-only-bug"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Fit([]*results.Results{r}, []string{"kind-peak-only-bug"}, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]Delay{"podReady": c.PodReady, "reconcile": c.Reconcile, "latency": c.Latency} {
		if len(d.Samples) == 0 {
			t.Errorf("%s: no samples", name)
		}
		for _, s := range d.Samples {
			if s < 0 {
				t.Errorf("%s sample %g s: negative", name, s)
			}
		}
	}
	if len(c.Latency.Samples) != len(c.LatencyTail.Samples) || len(c.Latency.Samples) < 10 {
		t.Errorf("%d latency and %d tail samples", len(c.Latency.Samples), len(c.LatencyTail.Samples))
	}
	if c.Provenance.Runs[0] != "kind-peak-only-bug" || len(c.Provenance.Components) == 0 {
		t.Errorf("provenance %+v", c.Provenance)
	}
	r.Environment.Kind = EnvironmentKind
	if _, err := Fit([]*results.Results{r}, []string{"x"}, time.Now()); err == nil || !strings.Contains(err.Error(), "not a real cluster") {
		t.Errorf("fit from a simulated run: %v", err)
	}
}

func TestCalibrationFiles(t *testing.T) {
	c, err := DefaultCalibration()
	if err != nil {
		t.Fatalf("the library's calibration: %v", err)
	}
	if len(c.Provenance.Runs) == 0 {
		t.Error("the library's calibration names no runs")
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"podReady": {"samples": [-1]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCalibration(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad calibration: %v", err)
	}
}
