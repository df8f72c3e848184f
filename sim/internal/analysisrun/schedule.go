package analysisrun

import (
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// calculateNextReconcileTime restates analysis.go
// calculateNextReconcileTime: the earliest time a metric of the run becomes
// due, or nil. It reads the in-memory run, whose timestamps written in this
// reconcile still have full precision.
func calculateNextReconcileTime(run *v1alpha1.AnalysisRun, metrics []v1alpha1.Metric, now time.Time) *time.Time {
	var earliest *time.Time
	consider := func(t time.Time) {
		if earliest == nil || earliest.After(t) {
			earliest = &t
		}
	}
	for _, metric := range metrics {
		if analysisutil.MetricCompleted(run, metric.Name) {
			continue
		}
		last := analysisutil.LastMeasurement(run, metric.Name)
		if last == nil {
			if metric.InitialDelay == "" {
				continue // upstream: "Metric never started. Not factored into enqueue time."
			}
			start := now
			if run.Status.StartedAt != nil {
				start = run.Status.StartedAt.Time
			}
			if delay, err := metric.InitialDelay.Duration(); err == nil {
				consider(start.Add(delay))
			}
			continue
		}
		if last.FinishedAt == nil {
			if last.ResumeAt != nil {
				consider(last.ResumeAt.Time)
			}
			continue
		}
		if countReached(run, metric) {
			continue
		}
		var interval time.Duration
		switch {
		case last.Phase == v1alpha1.AnalysisPhaseError:
			interval = DefaultErrorRetryInterval
		case metric.Interval != "":
			parsed, err := metric.Interval.Duration()
			if err != nil {
				continue
			}
			interval = parsed
		default:
			continue // no interval and no error: upstream does not requeue
		}
		consider(last.FinishedAt.Add(interval))
	}
	return earliest
}

// garbageCollectMeasurements restates analysis.go garbageCollectMeasurements:
// keep the newest measurements of each metric, measurementRetention's limit
// when it matches the metric and is positive, limit otherwise. The counters
// are kept, so trimming changes no outcome. (Upstream skips a metric whose
// provider cannot be built; a Measure always can.)
func garbageCollectMeasurements(run *v1alpha1.AnalysisRun, metrics []v1alpha1.Metric, retention map[string]*v1alpha1.MeasurementRetention, limit int) {
	known := make(map[string]bool, len(metrics))
	for _, m := range metrics {
		known[m.Name] = true
	}
	for i, result := range run.Status.MetricResults {
		keep := limit
		if r := retention[result.Name]; r != nil && r.Limit > 0 {
			keep = int(r.Limit)
		}
		n := len(result.Measurements)
		if n > keep && known[result.Name] {
			result.Measurements = result.Measurements[n-keep : n]
		}
		run.Status.MetricResults[i] = result
	}
}

// persistTimes drops the sub-second part of every timestamp in the status,
// as writing it through the API server does (metav1.Time marshals to
// RFC 3339 in whole seconds; Truncate gives the same instant for any time
// after year 1).
func persistTimes(s *v1alpha1.AnalysisRunStatus) {
	s.StartedAt = truncated(s.StartedAt)
	s.CompletedAt = truncated(s.CompletedAt)
	for i := range s.MetricResults {
		ms := s.MetricResults[i].Measurements
		for j := range ms {
			ms[j].StartedAt = truncated(ms[j].StartedAt)
			ms[j].FinishedAt = truncated(ms[j].FinishedAt)
			ms[j].ResumeAt = truncated(ms[j].ResumeAt)
		}
	}
}

// truncated returns t at second precision, nil for nil.
func truncated(t *metav1.Time) *metav1.Time {
	if t == nil {
		return nil
	}
	return metaTime(t.Truncate(time.Second))
}
