package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/sim/internal/analysisrun"
	"github.com/coalmine/coalmine/sim/internal/promstore"
)

// strategySim is one strategy's simulated namespace: the clock, the
// cluster, the Rollout, its analyses and the timeline.
type strategySim struct {
	name     string
	clk      *clock
	rng      *rand.Rand
	cal      *Calibration
	cl       *cluster
	store    *promstore.Store
	measure  analysisrun.Measure
	ro       *rollout
	release  int
	timeline []results.Event
	runs     int
	err      error
	tmpls    []v1alpha1.AnalysisTemplate
	// deadline and deadlineAbort are the Rollout's progressDeadlineSeconds
	// (scaled as kind scales it) and progressDeadlineAbort.
	deadline      time.Duration
	deadlineAbort bool
}

// record appends e to the timeline at now, for the current release.
func (s *strategySim) record(e results.Event) {
	e.Time, e.Release = s.clk.now, s.release
	s.timeline = append(s.timeline, e)
}

// fail ends the strategy's run with err (the first one wins).
func (s *strategySim) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// newRS returns release k's ReplicaSet.
func (s *strategySim) newRS(k int, version string, f *faults.Faults) *replicaSet {
	return &replicaSet{hash: podHash(s.name, k, version), version: version, plan: faults.NewPlan(f)}
}

// startAnalysis creates an AnalysisRun of the rollout after the
// controller's delay and reconciles it until it completes.
func (s *strategySim) startAnalysis(ra *v1alpha1.RolloutAnalysis, kind string, r *rollout) *analysis {
	a := &analysis{kind: kind, seen: map[string]int{}}
	rev := r.revision
	s.clk.after(s.cal.AnalysisStart.Draw(s.rng), func() {
		if r.revision != rev || r.decided || s.err != nil {
			return // the release moved on before the run was created
		}
		s.runs++
		name := fmt.Sprintf("faultapp-%s-%d-%s%d", r.canary.hash, r.revision+1, strings.ToLower(kind[:1]), s.runs)
		newRS, stableRS, _ := r.objects()
		run, err := newRun(ra, s.tmpls, r.ro, stableRS, newRS, name)
		if err != nil {
			s.fail(err)
			return
		}
		run.CreationTimestamp = metav1.NewTime(s.clk.now)
		a.run = analysisrun.New(run, s.measure, s.clk.now)
		s.record(results.Event{Kind: results.EventAnalysisStart, AnalysisRun: name, Message: kind})
		s.drive(a, r)
	})
	return a
}

// drive reconciles a when the analysis controller would.
func (s *strategySim) drive(a *analysis, r *rollout) {
	at, ok := a.run.NextReconcile()
	if !ok {
		return
	}
	s.clk.at(at.Add(s.cal.Reconcile.Draw(s.rng)+time.Millisecond), func() {
		if a.phase().Completed() {
			return // terminated meanwhile
		}
		a.run.Reconcile(s.clk.now)
		for _, e := range a.events(s.clk.now, s.release) {
			s.record(e)
		}
		if a.phase().Completed() {
			r.analysisEnded(a)
			return
		}
		s.drive(a, r)
	})
}

// terminate sets spec.terminate on the runs that exist.
func (s *strategySim) terminate(as ...*analysis) {
	for _, a := range as {
		if a == nil || a.run == nil || a.phase().Completed() {
			continue
		}
		a.run.Terminate(s.clk.now)
		a.run.Reconcile(s.clk.now)
		for _, e := range a.events(s.clk.now, s.release) {
			s.record(e)
		}
	}
}
