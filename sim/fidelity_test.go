package sim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// fidelityRuns is how many simulated runs each kind run is compared with.
const fidelityRuns = 200

// TestFidelityAgainstKind replays every kind run kept in testdata/kind
// (results.json of `coalmine run`, one per library scenario) in the
// simulator at the run's time scale and checks that what kind did is
// something the simulator does: the kind outcome has a simulated
// probability of at least 10 %, and the kind time to detect lies within
// the simulated 5th–95th percentiles. A failure is a bug in the simulator
// or its calibration, not a bound to widen.
//
// It takes minutes and is not part of `make test` until it passes: run it
// with `make fidelity` (COALMINE_FIDELITY=1). See the fixtures' README for
// what it shows today.
func TestFidelityAgainstKind(t *testing.T) {
	if os.Getenv("COALMINE_FIDELITY") == "" {
		t.Skip("the fidelity check runs with COALMINE_FIDELITY=1 (make fidelity)")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "kind", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no kind fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) { fidelity(t, f) })
	}
}

func fidelity(t *testing.T, file string) {
	kind, err := results.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(kind.Scenario.Name)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Spec.TimeScale != kind.Scenario.TimeScale {
		t.Fatalf("the library scenario's time scale %g is not the kind run's %g: re-record the fixture", sc.Spec.TimeScale, kind.Scenario.TimeScale)
	}
	var names []string
	for _, sr := range kind.Strategies {
		names = append(names, sr.Name)
	}
	sts, err := sc.Select(names)
	if err != nil {
		t.Fatal(err)
	}
	mc := MonteCarlo{Options: Options{Seed: 1, TimeScale: kind.Scenario.TimeScale, TimelineOnly: true}, Runs: fidelityRuns, Workers: 2}
	sum, err := mc.Run(context.Background(), sc, sts)
	if err != nil {
		t.Fatal(err)
	}
	for i, sr := range kind.Strategies {
		compare(t, sr, sum.Strategies[i])
	}
}

// compare checks one strategy's kind releases against its simulation.
func compare(t *testing.T, kind results.StrategyRun, sim results.SimStrategy) {
	if kind.Error != "" {
		t.Errorf("%s: the kind run failed (%s): re-record the fixture", kind.Name, kind.Error)
		return
	}
	if sim.Errors > 0 {
		t.Logf("%s: not simulated: %s", kind.Name, sim.FirstError)
		return
	}
	for _, kr := range kind.Releases {
		s := sim.Releases[kr.Index-1]
		p := float64(s.Outcomes[kr.Scores.Outcome]) / float64(s.Timeout.N)
		row := fmt.Sprintf("%s %s: kind %s, sim P = %.2f %v", kind.Name, kr.Version, kr.Scores.Outcome, p, s.Outcomes)
		if ttd := kr.Scores.TimeToDetectSeconds; ttd != nil {
			row += fmt.Sprintf("; TTD kind %.1f s", *ttd)
			if d := s.TimeToDetect; d == nil || *ttd < d.P5 || *ttd > d.P95 {
				t.Errorf("%s: kind time to detect outside the simulated p5–p95 %s", row, spreadText(d))
			}
			row += ", sim p5–p95 " + spreadText(s.TimeToDetect)
		}
		if p < 0.10 {
			t.Errorf("%s: the kind outcome has a simulated probability below 10 %%", row)
		}
		t.Log(row)
	}
}

func spreadText(d *results.Spread) string {
	if d == nil {
		return "(never detected)"
	}
	return fmt.Sprintf("%.1f–%.1f s", d.P5, d.P95)
}
