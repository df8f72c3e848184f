package analysisrun

import (
	"fmt"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// generateMetricTasks restates analysis.go generateMetricTasks: the metrics
// to measure at now. In-flight measurements (FinishedAt nil) never occur
// here, see Measure. Quirks kept: an initialDelay is not honoured before the
// run has a StartedAt (set after the tasks of the first reconcile), the
// delay is inclusive (measured at StartedAt+delay) while the interval is
// strict (measured only after FinishedAt+interval), and the interval after
// an Error measurement is DefaultErrorRetryInterval whatever the metric says.
func generateMetricTasks(run *v1alpha1.AnalysisRun, metrics []v1alpha1.Metric, now time.Time) []v1alpha1.Metric {
	var tasks []v1alpha1.Metric
	if analysisutil.IsTerminating(run) {
		return nil // no in-flight measurement to resume or terminate
	}
	for _, metric := range metrics {
		if analysisutil.MetricCompleted(run, metric.Name) {
			continue
		}
		last := analysisutil.LastMeasurement(run, metric.Name)
		if last == nil {
			if metric.InitialDelay != "" {
				if run.Status.StartedAt == nil {
					continue
				}
				delay, err := metric.InitialDelay.Duration()
				if err != nil || run.Status.StartedAt.Add(delay).After(now) {
					continue
				}
			}
			tasks = append(tasks, metric)
			continue
		}
		if countReached(run, metric) {
			continue
		}
		interval := DefaultErrorRetryInterval
		if last.Phase != v1alpha1.AnalysisPhaseError && metric.Interval != "" {
			parsed, err := metric.Interval.Duration()
			if err != nil {
				continue
			}
			interval = parsed
		}
		if now.After(last.FinishedAt.Add(interval)) {
			tasks = append(tasks, metric)
		}
	}
	return tasks
}

// countReached reports whether the metric has a count and has reached it
// (only Successful, Failed and Inconclusive measurements count).
func countReached(run *v1alpha1.AnalysisRun, metric v1alpha1.Metric) bool {
	effectiveCount := metric.EffectiveCount()
	return effectiveCount != nil && analysisutil.GetResult(run, metric.Name).Count >= int32(effectiveCount.IntValue())
}

// runMeasurements restates analysis.go runMeasurements for measurements
// that complete in one provider call. Upstream measures the tasks in
// parallel goroutines, so the order in which new MetricResults are appended
// to the status varies; here it is the order of the metrics.
func runMeasurements(run *v1alpha1.AnalysisRun, tasks []v1alpha1.Metric, dryRun map[string]bool, measure Measure, now time.Time) {
	for _, metric := range tasks {
		m := measure(run, metric, now)
		if !m.Phase.Completed() {
			panic(fmt.Sprintf("analysisrun: Measure returned phase %q for metric %q: in-flight measurements are not supported", m.Phase, metric.Name))
		}
		if m.StartedAt == nil {
			m.StartedAt = metaTime(now)
		}
		if m.FinishedAt == nil {
			m.FinishedAt = metaTime(now)
		}
		result := analysisutil.GetResult(run, metric.Name)
		if result == nil {
			result = &v1alpha1.MetricResult{
				Name:   metric.Name,
				Phase:  v1alpha1.AnalysisPhaseRunning,
				DryRun: dryRun[metric.Name],
			}
		}
		count(result, m.Phase)
		result.Measurements = append(result.Measurements, m)
		analysisutil.SetResult(run, *result)
	}
}

// count updates a metric's counters for one completed measurement. An Error
// does not increment Count, so errors do not use up a metric's count; only
// consecutiveErrorLimit ends a metric that keeps erroring.
func count(result *v1alpha1.MetricResult, phase v1alpha1.AnalysisPhase) {
	switch phase {
	case v1alpha1.AnalysisPhaseSuccessful:
		result.Successful++
		result.Count++
		result.ConsecutiveError = 0
		result.ConsecutiveSuccess++
	case v1alpha1.AnalysisPhaseFailed:
		result.Failed++
		result.Count++
		result.ConsecutiveError = 0
		result.ConsecutiveSuccess = 0
	case v1alpha1.AnalysisPhaseInconclusive:
		result.Inconclusive++
		result.Count++
		result.ConsecutiveError = 0
		result.ConsecutiveSuccess = 0
	case v1alpha1.AnalysisPhaseError:
		result.Error++
		result.ConsecutiveError++
		result.ConsecutiveSuccess = 0
	}
}

// metaTime returns a fresh *metav1.Time at t.
func metaTime(t time.Time) *metav1.Time {
	m := metav1.NewTime(t)
	return &m
}
