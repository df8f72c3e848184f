package analysisrun

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// scriptedMeasure answers from per-metric outcome scripts without a
// provider (Successful once a script is exhausted); it sets no timestamps.
func scriptedMeasure(script map[string]string) Measure {
	served := map[string]int{}
	return func(_ *v1alpha1.AnalysisRun, m v1alpha1.Metric, _ time.Time) v1alpha1.Measurement {
		n := served[m.Name]
		served[m.Name]++
		phase := v1alpha1.AnalysisPhaseSuccessful
		if s := script[m.Name]; n < len(s) {
			phase = map[byte]v1alpha1.AnalysisPhase{
				outS: v1alpha1.AnalysisPhaseSuccessful, outF: v1alpha1.AnalysisPhaseFailed,
				outI: v1alpha1.AnalysisPhaseInconclusive, outE: v1alpha1.AnalysisPhaseError, outX: v1alpha1.AnalysisPhaseError,
			}[s[n]]
		}
		return v1alpha1.Measurement{Phase: phase}
	}
}

// drive runs sc on Run alone, reconciling 1 ms after every due time, and
// returns the final run.
func drive(sc scenario, start time.Time) *v1alpha1.AnalysisRun {
	r := New(withAddress(sc.spec, "http://unused"), scriptedMeasure(sc.script), start)
	terminated := sc.terminate == 0
	for range 2000 {
		next, ok := r.NextReconcile()
		if !terminated && (!ok || !next.Before(start.Add(sc.terminate))) {
			terminated = true
			r.Terminate(start.Add(sc.terminate))
			continue
		}
		if !ok {
			return r.AnalysisRun()
		}
		r.Reconcile(next.Add(time.Millisecond))
	}
	return nil
}

// TestConcurrentRunsAreIndependent reconciles many Runs at once from
// different goroutines (run with -race) and requires each to end exactly
// as the same Run reconciled alone, with timestamps from its own virtual
// clock only.
func TestConcurrentRunsAreIndependent(t *testing.T) {
	const n = 48
	scenarios := make([]scenario, n)
	starts := make([]time.Time, n)
	alone := make([]*v1alpha1.AnalysisRun, n)
	for i := range n {
		scenarios[i] = randomScenario(rand.New(rand.NewPCG(uint64(i), 5)))
		starts[i] = time.Date(2001+i, 1, 1, 0, 0, 0, 0, time.UTC)
		alone[i] = drive(scenarios[i], starts[i])
	}
	together := make([]*v1alpha1.AnalysisRun, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { together[i] = drive(scenarios[i], starts[i]) })
	}
	wg.Wait()
	for i := range n {
		if alone[i] == nil {
			t.Fatalf("%d %s: no end", i, scenarios[i].name)
		}
		if d := cmp.Diff(alone[i].Status, together[i].Status, statusOpts); d != "" {
			t.Fatalf("%d %s: concurrent run differs:\n%s", i, scenarios[i].name, d)
		}
		for _, ts := range timestamps(together[i].Status) {
			if ts.Year() != starts[i].Year() {
				t.Fatalf("%d: timestamp %v is not from the run's virtual clock (%d)", i, ts, starts[i].Year())
			}
		}
	}
}

// timestamps lists every timestamp in a status.
func timestamps(s v1alpha1.AnalysisRunStatus) []time.Time {
	var ts []time.Time
	add := func(t *metav1.Time) {
		if t != nil {
			ts = append(ts, t.Time)
		}
	}
	add(s.StartedAt)
	add(s.CompletedAt)
	for _, r := range s.MetricResults {
		for _, m := range r.Measurements {
			add(m.StartedAt)
			add(m.FinishedAt)
		}
	}
	return ts
}

// TestMeasureMustComplete pins the documented limit: an in-flight
// measurement is a wiring error, not something to restate silently.
func TestMeasureMustComplete(t *testing.T) {
	r := New(withAddress(specOf(promMetric("m1")), "http://unused"),
		func(*v1alpha1.AnalysisRun, v1alpha1.Metric, time.Time) v1alpha1.Measurement {
			return v1alpha1.Measurement{Phase: v1alpha1.AnalysisPhaseRunning}
		}, t0)
	defer func() {
		if p, _ := recover().(string); !strings.Contains(p, "in-flight measurements are not supported") {
			t.Fatalf("panic %q, want the in-flight message", p)
		}
	}()
	r.Reconcile(t0)
}

// TestTerminateIsOneEvent: setting spec.terminate again changes nothing,
// so the pending reconcile stays at the first Terminate.
func TestTerminateIsOneEvent(t *testing.T) {
	r := New(withAddress(specOf(metric("m1", every("1m", -1))), "http://unused"), scriptedMeasure(nil), t0)
	r.Reconcile(t0)
	r.Reconcile(t0.Add(time.Millisecond))
	r.Terminate(t0.Add(10 * time.Second))
	r.Terminate(t0.Add(20 * time.Second))
	if next, _ := r.NextReconcile(); !next.Equal(t0.Add(10 * time.Second)) {
		t.Fatalf("next reconcile %v after two Terminates, want the first one's time", next.Sub(t0))
	}
	if p := r.Reconcile(t0.Add(10 * time.Second)); p != v1alpha1.AnalysisPhaseSuccessful {
		t.Fatalf("phase %s after termination, want Successful", p)
	}
	if _, ok := r.NextReconcile(); ok {
		t.Fatal("a completed run still asks for a reconcile")
	}
}

// BenchmarkRun measures one typical run end to end in virtual time: two
// metrics, count 5 at 1 m, without provider cost.
func BenchmarkRun(b *testing.B) {
	sc := scenario{spec: specOf(metric("m1", every("1m", 5)), metric("m2", every("1m", 5)))}
	for b.Loop() {
		if drive(sc, t0) == nil {
			b.Fatal("no end")
		}
	}
}
