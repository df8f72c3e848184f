package sim

import (
	"fmt"
	"io"
	"time"

	"github.com/argoproj/argo-rollouts/metricproviders/prometheus"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	log "github.com/sirupsen/logrus"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/sim/internal/analysisrun"
	"github.com/coalmine/coalmine/sim/internal/promstore"
)

// quietLog is the provider's logger: the simulator reports through the
// timeline, not logs.
var quietLog = func() *log.Entry {
	l := log.New()
	l.SetOutput(io.Discard)
	return log.NewEntry(l)
}()

// analysis is one AnalysisRun of the rollout, reconciled by the restated
// analysis controller, measuring with Argo's Prometheus provider against
// the simulated Prometheus at virtual now.
type analysis struct {
	run  *analysisrun.Run
	kind string // Step or Background, as the AnalysisRun's label says
	seen map[string]int
	done bool
}

// measure is the analysis controller's provider call.
func measure(store *promstore.Store, now func() time.Time) analysisrun.Measure {
	api := store.API(now)
	return func(run *v1alpha1.AnalysisRun, m v1alpha1.Metric, at time.Time) v1alpha1.Measurement {
		p, err := prometheus.NewPrometheusProvider(api, *quietLog, m)
		var ms v1alpha1.Measurement
		if err != nil {
			ms = v1alpha1.Measurement{Phase: v1alpha1.AnalysisPhaseError, Message: err.Error()}
		} else {
			ms = p.Run(run, m)
		}
		t := metav1.NewTime(at)
		ms.StartedAt, ms.FinishedAt = &t, &t // the provider stamps wall-clock times
		return ms
	}
}

// newRun builds the AnalysisRun of a rollout analysis the way the rollout
// controller does: Argo's own argument resolution and run factory.
func newRun(a *v1alpha1.RolloutAnalysis, templates []v1alpha1.AnalysisTemplate, ro *v1alpha1.Rollout,
	stableRS, newRS *appsv1.ReplicaSet, name string) (*v1alpha1.AnalysisRun, error) {
	args, err := analysisutil.BuildArgumentsForRolloutAnalysisRun(a.Args, stableRS, newRS, ro)
	if err != nil {
		return nil, fmt.Errorf("analysis %s: %w", name, err)
	}
	var tmpls []*v1alpha1.AnalysisTemplate
	for _, ref := range a.Templates {
		for i := range templates {
			if templates[i].Name == ref.TemplateName {
				tmpls = append(tmpls, &templates[i])
			}
		}
	}
	run, err := analysisutil.NewAnalysisRunFromTemplates(tmpls, nil, args, a.DryRun, a.MeasurementRetention,
		nil, nil, name, "", ro.Namespace)
	if err != nil {
		return nil, fmt.Errorf("analysis %s: %w", name, err)
	}
	return run, nil
}

// events returns the timeline events of what the last reconcile changed:
// new measurements and the run's end.
func (a *analysis) events(now time.Time, release int) []results.Event {
	ar := a.run.AnalysisRun()
	var evs []results.Event
	for _, mr := range ar.Status.MetricResults {
		// Count excludes Error measurements; old measurements may have been
		// garbage-collected, so new ones are counted, not indexed.
		taken := int(mr.Count + mr.Error)
		fresh := min(taken-a.seen[mr.Name], len(mr.Measurements))
		for _, m := range mr.Measurements[len(mr.Measurements)-fresh:] {
			evs = append(evs, results.Event{Time: now, Kind: results.EventMeasurement, Release: release,
				AnalysisRun: ar.Name, Metric: mr.Name, Phase: string(m.Phase), Value: m.Value, Message: m.Message})
		}
		a.seen[mr.Name] = taken
	}
	if ar.Status.Phase.Completed() && !a.done {
		a.done = true
		evs = append(evs, results.Event{Time: now, Kind: results.EventAnalysisEnd, Release: release,
			AnalysisRun: ar.Name, Phase: string(ar.Status.Phase), Message: ar.Status.Message})
	}
	return evs
}

// phase is the run's phase ("" until it is created).
func (a *analysis) phase() v1alpha1.AnalysisPhase {
	if a.run == nil {
		return ""
	}
	return a.run.AnalysisRun().Status.Phase
}
