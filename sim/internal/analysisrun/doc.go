// Package analysisrun is part of the virtual-time simulator (layer 4): it
// restates the AnalysisRun controller's bookkeeping of Argo Rollouts v1.10.1
// so that a user's AnalysisTemplates can be run thousands of times in
// virtual time.
//
// What it restates, from github.com/argoproj/argo-rollouts@v1.10.1 (none of
// it is exported there):
//
//   - analysis/analysis.go: reconcileAnalysisRun (Reconcile),
//     getResolvedMetricsWithoutSecrets (resolveSpec), generateMetricTasks,
//     runMeasurements (only measurements that complete in one call, as the
//     Prometheus provider's do), assessRunStatus, assessMetricStatus,
//     assessMetricFailureInconclusiveOrError, calculateNextReconcileTime and
//     garbageCollectMeasurements, with DefaultErrorRetryInterval (10 s) and
//     DefaultMeasurementHistoryLimit (10).
//   - analysis/controller.go and utils/controller: what makes the controller
//     reconcile a run again. A status patch comes back as an informer update
//     event (reconcile at once); enqueueAnalysisAfter puts the run on
//     client-go's delaying workqueue, which keeps only the earliest pending
//     time per run.
//   - analysis/sync.go: the status is written through the API server, whose
//     JSON drops sub-second precision from every timestamp. The next reconcile
//     reads those truncated timestamps, while the requeue time of the
//     reconcile that wrote them is computed from full precision.
//
// Everything Argo exports is called rather than restated: utils/analysis
// (IsTerminating, GetResult, SetResult, LastMeasurement, MetricCompleted,
// IsWorse, ValidateMetrics, ResolveMetricArgs, GetDryRunMetrics,
// GetMeasurementRetentionMetrics), utils/defaults
// (GetConsecutiveErrorLimitOrDefault) and v1alpha1 (Metric.EffectiveCount,
// DurationString.Duration, AnalysisPhase.Completed).
//
// Argo's code reads utils/time's process-global clock; this package takes the
// virtual time as an argument everywhere and keeps no global state, so many
// Runs may be reconciled concurrently from different goroutines (one Run is
// not safe for concurrent use).
//
// The differential test drives the real analysis.Controller (fake
// clientsets, a workqueue under the test's control, Argo's Prometheus
// provider against a scripted HTTP server) side by side with this package
// and requires identical statuses and requeue times after every reconcile.
package analysisrun
