package analysisrun

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/metricproviders/prometheus"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	log "github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func init() {
	log.SetLevel(log.PanicLevel) // the controller logs every step
}

// t0 is the virtual start; its sub-second part exercises the API server's
// truncation of timestamps.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 370_000_000, time.UTC)

// scenario is one analysis run played on both the real controller and Run.
type scenario struct {
	name      string
	spec      v1alpha1.AnalysisRunSpec // Prometheus addresses are filled in per side
	script    map[string]string        // metric name -> outcome codes
	terminate time.Duration            // after t0; 0: never
	maxSteps  int                      // reconciles before the test gives up (default 400)
}

// promMetric is a metric answered by promServer under its own name.
func promMetric(name string) v1alpha1.Metric {
	return v1alpha1.Metric{
		Name:             name,
		SuccessCondition: "result[0] == 1",
		FailureCondition: "result[0] == 0",
		Provider:         v1alpha1.MetricProvider{Prometheus: &v1alpha1.PrometheusMetric{Query: name}},
	}
}

// intOrStrT shortens intstr.IntOrString in the generators.
type intOrStrT = intstr.IntOrString

func intOrStr(n int) *intstr.IntOrString { v := intstr.FromInt(n); return &v }

// withAddress returns a run named "ar" whose metrics query address.
func withAddress(spec v1alpha1.AnalysisRunSpec, address string) *v1alpha1.AnalysisRun {
	run := &v1alpha1.AnalysisRun{
		ObjectMeta: metav1.ObjectMeta{Name: "ar", Namespace: "default"},
		Spec:       *spec.DeepCopy(),
	}
	for i := range run.Spec.Metrics {
		if p := run.Spec.Metrics[i].Provider.Prometheus; p != nil {
			p.Address = address
		}
	}
	return run
}

// promMeasure measures with Argo's own Prometheus provider; timestamps are
// set to the virtual now (the provider stamps utils/time's clock).
func promMeasure(run *v1alpha1.AnalysisRun, metric v1alpha1.Metric, now time.Time) v1alpha1.Measurement {
	at := metav1.NewTime(now)
	api, err := prometheus.NewPrometheusAPI(metric)
	if err != nil {
		return v1alpha1.Measurement{Phase: v1alpha1.AnalysisPhaseError, Message: err.Error(), StartedAt: &at}
	}
	p, err := prometheus.NewPrometheusProvider(api, *log.WithField("metric", metric.Name), metric)
	if err != nil {
		return v1alpha1.Measurement{Phase: v1alpha1.AnalysisPhaseError, Message: err.Error(), StartedAt: &at}
	}
	m := p.Run(run, metric)
	m.StartedAt, m.FinishedAt = &at, &at
	return m
}

// sides is the real controller and the restatement, in lockstep.
type sides struct {
	t       *testing.T
	real    *realController
	mine    *Run
	last    time.Time // time of the latest reconcile
	same    int       // reconciles in a row at that time
	history []string
}

func newSides(t *testing.T, sc scenario) *sides {
	clock := freezeClock(t)
	clock.set(t0)
	realProm, mineProm := newPromServer(t, sc.script), newPromServer(t, sc.script)
	s := &sides{t: t, last: t0}
	s.real = newRealController(t, clock, withAddress(sc.spec, realProm.URL), t0)
	s.mine = New(withAddress(sc.spec, mineProm.URL), promMeasure, t0)
	s.check("created")
	return s
}

// normalized is a status as compared: metric results sorted by name (the
// controller appends them from parallel goroutines) and without the
// provider metadata Run does not write.
func normalized(s v1alpha1.AnalysisRunStatus) v1alpha1.AnalysisRunStatus {
	s = *s.DeepCopy()
	sort.Slice(s.MetricResults, func(i, j int) bool { return s.MetricResults[i].Name < s.MetricResults[j].Name })
	for i := range s.MetricResults {
		s.MetricResults[i].Metadata = nil
	}
	return s
}

var statusOpts = cmp.Options{
	cmp.Comparer(func(a, b metav1.Time) bool { return a.Equal(&b) }),
	cmpopts.EquateEmpty(),
}

// check requires identical statuses and identical next reconciles.
func (s *sides) check(step string) {
	s.t.Helper()
	s.history = append(s.history, step)
	real, mine := normalized(s.real.stored().Status), normalized(s.mine.AnalysisRun().Status)
	if d := cmp.Diff(real, mine, statusOpts); d != "" {
		s.t.Fatalf("after %s: status differs (-real +restated):\n%s\nhistory: %s\nreal: %s",
			step, d, strings.Join(s.history, ", "), statusJSON(real))
	}
	rt, rok := s.real.next()
	mt, mok := s.mine.NextReconcile()
	if rok != mok || !rt.Equal(mt) {
		s.t.Fatalf("after %s: next reconcile real %v (%v), restated %v (%v)\nhistory: %s",
			step, rt.Sub(t0), rok, mt.Sub(t0), mok, strings.Join(s.history, ", "))
	}
}

func (s *sides) reconcile(at time.Time, why string) {
	s.t.Helper()
	if at.Equal(s.last) {
		s.same++
	} else {
		s.last, s.same = at, 1
	}
	s.real.reconcile(at)
	s.mine.Reconcile(at)
	s.check(why + "@" + at.Sub(t0).String())
}

func (s *sides) terminate(at time.Time) {
	s.t.Helper()
	s.real.terminate(at)
	s.mine.Terminate(at)
	s.check("terminate@" + at.Sub(t0).String())
}

// latencies are the delays between a due time and the reconcile: 0 hits a
// due time exactly (the strict After), sub-second ones land inside the
// window the API server's truncation opens.
var latencies = []time.Duration{0, 1, time.Millisecond, 150 * time.Millisecond, 700 * time.Millisecond, 2 * time.Second}

// play runs the scenario to completion on both sides, checking after every
// reconcile, and returns the restated run's final state.
func play(t *testing.T, sc scenario, rng *rand.Rand) *v1alpha1.AnalysisRun {
	t.Helper()
	s := newSides(t, sc)
	steps := sc.maxSteps
	if steps == 0 {
		steps = 400
	}
	terminated := sc.terminate == 0
	for range steps {
		next, ok := s.mine.NextReconcile()
		if !terminated && (!ok || !next.Before(t0.Add(sc.terminate))) {
			terminated = true
			s.terminate(t0.Add(sc.terminate))
			continue
		}
		if !ok {
			// A completed run stays as it is, whatever wakes it.
			s.reconcile(s.last.Add(time.Minute), "after-completion")
			return s.mine.AnalysisRun()
		}
		lat := latencies[rng.IntN(len(latencies))]
		if next.Equal(s.last) && s.same > 1 && lat == 0 {
			lat = time.Millisecond // wall time moves on in a real controller
		}
		if rng.IntN(8) == 0 && next.After(s.last) {
			// an informer resync or an unrelated event wakes the run early
			s.reconcile(s.last.Add(time.Duration(rng.Int64N(int64(next.Sub(s.last))))), "resync")
			continue
		}
		s.reconcile(next.Add(lat), "due")
	}
	t.Fatalf("%s: no end after %d steps: %s", sc.name, steps, strings.Join(s.history, ", "))
	return nil
}
