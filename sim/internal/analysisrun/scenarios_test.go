package analysisrun

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
)

// metric builds a promMetric and lets the case set its fields.
func metric(name string, set func(*v1alpha1.Metric)) v1alpha1.Metric {
	m := promMetric(name)
	if set != nil {
		set(&m)
	}
	return m
}

func specOf(ms ...v1alpha1.Metric) v1alpha1.AnalysisRunSpec {
	return v1alpha1.AnalysisRunSpec{Metrics: ms}
}

// every sets interval and count (count < 0: unset).
func every(interval string, count int) func(*v1alpha1.Metric) {
	return func(m *v1alpha1.Metric) {
		m.Interval = v1alpha1.DurationString(interval)
		if count >= 0 {
			m.Count = intOrStr(count)
		}
	}
}

// then chains field setters.
func then(fs ...func(*v1alpha1.Metric)) func(*v1alpha1.Metric) {
	return func(m *v1alpha1.Metric) {
		for _, f := range fs {
			f(m)
		}
	}
}

func failureLimit(n int) func(*v1alpha1.Metric) {
	return func(m *v1alpha1.Metric) { m.FailureLimit = intOrStr(n) }
}

func successLimit(n int) func(*v1alpha1.Metric) {
	return func(m *v1alpha1.Metric) { m.ConsecutiveSuccessLimit = intOrStr(n) }
}

// want is what a scenario must end with.
type want struct {
	phase   v1alpha1.AnalysisPhase
	message string // prefix
	check   func(t *testing.T, run *v1alpha1.AnalysisRun)
}

// result returns the named metric's result, failing the test if absent.
func result(t *testing.T, run *v1alpha1.AnalysisRun, name string) v1alpha1.MetricResult {
	t.Helper()
	r := analysisutil.GetResult(run, name)
	if r == nil {
		t.Fatalf("no result for metric %s", name)
	}
	return *r
}

// counters requires a metric's phase and counters (count, successful,
// failed, inconclusive, error, consecutiveError).
func counters(name string, phase v1alpha1.AnalysisPhase, c ...int32) func(*testing.T, *v1alpha1.AnalysisRun) {
	return func(t *testing.T, run *v1alpha1.AnalysisRun) {
		t.Helper()
		r := result(t, run, name)
		got := []int32{r.Count, r.Successful, r.Failed, r.Inconclusive, r.Error, r.ConsecutiveError}
		if r.Phase != phase || !equalInts(got, c) {
			t.Errorf("%s: phase %s counters %v (count, ok, failed, inconclusive, error, consecutiveError), want %s %v",
				name, r.Phase, got, phase, c)
		}
	}
}

func equalInts(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDifferentialScenarios plays named cases on the real controller and on
// Run, requires identical statuses and requeues after every reconcile
// (inside play), then checks the outcome Argo's semantics dictate.
func TestDifferentialScenarios(t *testing.T) {
	for _, c := range scenarioCases() {
		t.Run(c.sc.name, func(t *testing.T) {
			for seed := range uint64(3) {
				run := play(t, c.sc, rand.New(rand.NewPCG(seed, 7)))
				if run.Status.Phase != c.want.phase || !strings.HasPrefix(run.Status.Message, c.want.message) {
					t.Fatalf("seed %d: phase %s message %q, want %s %q…", seed, run.Status.Phase, run.Status.Message, c.want.phase, c.want.message)
				}
				if c.want.check != nil {
					c.want.check(t, run)
				}
			}
		})
	}
}

// TestDifferentialRandom plays seeded random specs, outcome scripts,
// latencies, early wake-ups and terminations on both sides.
func TestDifferentialRandom(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 25
	}
	phases, invalid := map[v1alpha1.AnalysisPhase]int{}, 0
	for seed := range uint64(n) {
		rng := rand.New(rand.NewPCG(seed, 99))
		sc := randomScenario(rng)
		ok := t.Run(sc.name, func(t *testing.T) {
			run := play(t, sc, rng)
			phases[run.Status.Phase]++
			if strings.HasPrefix(run.Status.Message, "Analysis spec invalid") {
				invalid++
			}
		})
		if !ok {
			break
		}
	}
	t.Logf("final phases over %d random runs: %v (%d of them invalid specs)", n, phases, invalid)
	for _, p := range []v1alpha1.AnalysisPhase{v1alpha1.AnalysisPhaseSuccessful, v1alpha1.AnalysisPhaseFailed, v1alpha1.AnalysisPhaseError} {
		if phases[p] == 0 && !testing.Short() {
			t.Errorf("no random run ended %s: the generator does not cover it", p)
		}
	}
}

// TestReconcileAtExactDueTimeMeasuresNothing pins the strict After of
// generateMetricTasks on both sides: a reconcile at exactly
// FinishedAt+interval takes no measurement and asks to be requeued at once.
func TestReconcileAtExactDueTimeMeasuresNothing(t *testing.T) {
	sc := scenario{name: "exact", spec: specOf(metric("m1", every("30s", 3)))}
	s := newSides(t, sc)
	s.reconcile(t0, "first")
	s.reconcile(t0, "event")
	due, _ := s.mine.NextReconcile()
	if want := t0.Truncate(time.Second).Add(30 * time.Second); !due.Equal(want) {
		t.Fatalf("due %v, want trunc(FinishedAt)+interval %v", due, want)
	}
	s.reconcile(due, "exact")
	if n := len(result(t, s.mine.AnalysisRun(), "m1").Measurements); n != 1 {
		t.Fatalf("%d measurements after a reconcile at exactly the due time, want 1", n)
	}
	if again, _ := s.mine.NextReconcile(); !again.Equal(due) {
		t.Fatalf("requeued at %v, want at once (%v)", again, due)
	}
	s.reconcile(due.Add(time.Nanosecond), "just-after")
	if n := len(result(t, s.mine.AnalysisRun(), "m1").Measurements); n != 2 {
		t.Fatalf("%d measurements 1ns after the due time, want 2", n)
	}
}
