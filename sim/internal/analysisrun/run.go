package analysisrun

import (
	"fmt"
	"reflect"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
)

const (
	// DefaultMeasurementHistoryLimit is how many measurements per metric the
	// controller keeps when the run sets no measurementRetention
	// (analysis.DefaultMeasurementHistoryLimit).
	DefaultMeasurementHistoryLimit = 10
	// DefaultErrorRetryInterval is how long the controller waits after an Error
	// measurement before measuring again (analysis.DefaultErrorRetryInterval).
	DefaultErrorRetryInterval = 10 * time.Second
	// secretPlaceholder is what getResolvedMetricsWithoutSecrets puts in place
	// of an argument read from a Secret.
	secretPlaceholder = "temp-for-secret"
)

// Measure takes one measurement of metric at virtual time now, as a metric
// provider's Run does (the simulator wires Argo's Prometheus provider and a
// PromQL store here). metric has its arguments resolved; arguments read from
// Secrets carry the placeholder "temp-for-secret". The measurement must be
// completed (Successful, Failed, Inconclusive or Error): in-flight
// measurements (job, Kayenta, ...) are not supported. StartedAt and
// FinishedAt left nil are set to now; a provider that stamps them with
// utils/time's wall clock must have them overwritten with virtual times.
type Measure func(run *v1alpha1.AnalysisRun, metric v1alpha1.Metric, now time.Time) v1alpha1.Measurement

// Run is one AnalysisRun as the analysis controller reconciles it in virtual
// time, together with the controller's pending reconciles for it. A Run is
// not safe for concurrent use; distinct Runs are independent.
type Run struct {
	run     *v1alpha1.AnalysisRun
	measure Measure
	spec    resolvedSpec
	// event is a pending informer event (creation, a status patch, a spec
	// change): the controller reconciles the run at once.
	event *time.Time
	// requeue is the run's entry in the delaying workqueue: the earliest of
	// the times asked for by enqueueAnalysisAfter that has not fired yet.
	requeue *time.Time
}

// resolvedSpec is what reconcileAnalysisRun derives from the spec on every
// reconcile. The spec does not change while a run exists (only
// spec.terminate, which plays no part here), so it is derived once.
type resolvedSpec struct {
	metrics   []v1alpha1.Metric
	dryRun    map[string]bool
	retention map[string]*v1alpha1.MeasurementRetention
	// invalid is the status message of a spec the controller rejects.
	invalid string
}

// New returns the run as it exists right after its creation at virtual time
// now; creation is an informer event, so the first reconcile is due at now.
// run is copied. Build it with utils/analysis NewAnalysisRunFromTemplates,
// with an empty status.
func New(run *v1alpha1.AnalysisRun, measure Measure, now time.Time) *Run {
	r := &Run{run: run.DeepCopy(), measure: measure, event: timePtr(now)}
	r.spec = resolveSpec(r.run)
	return r
}

// resolveSpec restates the checks at the top of reconcileAnalysisRun, in
// their order and with their messages.
func resolveSpec(run *v1alpha1.AnalysisRun) resolvedSpec {
	var s resolvedSpec
	metrics, err := resolvedMetricsWithoutSecrets(run.Spec.Metrics, run.Spec.Args)
	if err != nil {
		s.invalid = fmt.Sprintf("Unable to resolve metric arguments: %v", err)
		return s
	}
	if err := analysisutil.ValidateMetrics(metrics); err != nil {
		s.invalid = fmt.Sprintf("Analysis spec invalid: %v", err)
		return s
	}
	if s.dryRun, err = analysisutil.GetDryRunMetrics(run.Spec.DryRun, metrics); err != nil {
		s.invalid = fmt.Sprintf("Analysis spec invalid: %v", err)
		return s
	}
	s.retention, err = analysisutil.GetMeasurementRetentionMetrics(run.Spec.MeasurementRetention, metrics)
	if err != nil {
		s.invalid = fmt.Sprintf("Analysis spec invalid: %v", err)
		return s
	}
	s.metrics = metrics
	return s
}

// resolvedMetricsWithoutSecrets restates analysis.go
// getResolvedMetricsWithoutSecrets.
func resolvedMetricsWithoutSecrets(metrics []v1alpha1.Metric, args []v1alpha1.Argument) ([]v1alpha1.Metric, error) {
	newArgs := make([]v1alpha1.Argument, 0, len(args))
	for _, arg := range args {
		a := arg.DeepCopy()
		placeholder := secretPlaceholder
		if a.ValueFrom != nil && a.ValueFrom.SecretKeyRef != nil {
			a.ValueFrom = nil
			a.Value = &placeholder
		}
		newArgs = append(newArgs, *a)
	}
	resolved := make([]v1alpha1.Metric, 0, len(metrics))
	for _, m := range metrics {
		rm, err := analysisutil.ResolveMetricArgs(m, newArgs)
		if err != nil {
			return nil, err
		}
		resolved = append(resolved, *rm)
	}
	return resolved, nil
}

// Reconcile does what one reconcile of the run by the analysis controller at
// virtual time now does (syncHandler: reconcileAnalysisRun, then the status
// patch) and returns the run's phase. It consumes the pending reconciles due
// by now. A reconcile at a time the controller would not have chosen is
// allowed: it is what an informer resync does.
func (r *Run) Reconcile(now time.Time) v1alpha1.AnalysisPhase {
	if r.event != nil && !r.event.After(now) {
		r.event = nil
	}
	if r.requeue != nil && !r.requeue.After(now) {
		r.requeue = nil
	}
	if r.run.Status.Phase.Completed() {
		return r.run.Status.Phase
	}
	// Upstream deep-copies the whole run; the spec is only read here, so
	// sharing it is the same.
	run := &v1alpha1.AnalysisRun{TypeMeta: r.run.TypeMeta, ObjectMeta: r.run.ObjectMeta, Spec: r.run.Spec}
	r.run.Status.DeepCopyInto(&run.Status)
	next := r.reconcile(run, now)
	persistTimes(&run.Status)
	// Both statuses hold truncated timestamps from the same clock, so plain
	// DeepEqual decides as the JSON merge patch would, and costs less than
	// equality.Semantic.
	if !reflect.DeepEqual(r.run.Status, run.Status) {
		// persistAnalysisRunStatus patched the status; the informer's update
		// event queues the run again at once.
		r.event = timePtr(now)
	}
	r.run = run
	if next != nil {
		if next.Before(now) {
			next = timePtr(now) // enqueueSeconds < 0 is clamped to 0
		}
		if r.requeue == nil || next.Before(*r.requeue) {
			r.requeue = next
		}
	}
	return run.Status.Phase
}

// reconcile restates reconcileAnalysisRun after its completed-run check on a
// copy of the run, and returns calculateNextReconcileTime.
func (r *Run) reconcile(run *v1alpha1.AnalysisRun, now time.Time) *time.Time {
	if run.Status.MetricResults == nil {
		run.Status.MetricResults = make([]v1alpha1.MetricResult, 0)
	}
	if r.spec.invalid != "" {
		// No StartedAt, no CompletedAt, no requeue: as upstream.
		run.Status.Phase = v1alpha1.AnalysisPhaseError
		run.Status.Message = r.spec.invalid
		return nil
	}
	tasks := generateMetricTasks(run, r.spec.metrics, now)
	runMeasurements(run, tasks, r.spec.dryRun, r.measure, now)
	phase, message := assessRunStatus(run, r.spec.metrics, r.spec.dryRun, now)
	if phase != run.Status.Phase {
		run.Status.Phase = phase
		run.Status.Message = message
		if phase.Completed() && run.Status.CompletedAt == nil {
			run.Status.CompletedAt = metaTime(now)
		}
	}
	garbageCollectMeasurements(run, r.spec.metrics, r.spec.retention, DefaultMeasurementHistoryLimit)
	return calculateNextReconcileTime(run, r.spec.metrics, now)
}

// NextReconcile returns when the controller next hands the run to a worker:
// at once after an informer event (creation, a status change, Terminate),
// otherwise at the time calculateNextReconcileTime asked for. It returns
// false once the run is completed (later reconciles change nothing) or when
// nothing is scheduled. The controller's due checks are strict (After): a
// measurement due at FinishedAt+interval is not taken by a reconcile at
// exactly that time, and the controller then asks to be requeued at once.
// Real reconciles always land a little later; a caller must add its
// reconcile latency (at least 1 ns) or it will loop at the same instant.
func (r *Run) NextReconcile() (time.Time, bool) {
	if r.run.Status.Phase.Completed() {
		return time.Time{}, false
	}
	switch {
	case r.event != nil && (r.requeue == nil || !r.requeue.Before(*r.event)):
		return *r.event, true
	case r.requeue != nil:
		return *r.requeue, true
	}
	return time.Time{}, false
}

// Terminate sets spec.terminate at virtual time now, as the rollout
// controller's analysisutil.TerminateRun patch does; the change is an
// informer event, so a reconcile is due at now. Terminating twice is no
// change and no event.
func (r *Run) Terminate(now time.Time) {
	if r.run.Spec.Terminate {
		return
	}
	r.run.Spec.Terminate = true
	r.event = timePtr(now)
}

// AnalysisRun returns the run as the controller last wrote it (timestamps at
// second precision). It is the Run's own object: read it, DeepCopy it to keep
// it, do not modify it.
func (r *Run) AnalysisRun() *v1alpha1.AnalysisRun {
	return r.run
}

// timePtr returns a pointer to a copy of t.
func timePtr(t time.Time) *time.Time { return &t }
