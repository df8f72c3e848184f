package analysisrun

import (
	"fmt"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	"github.com/argoproj/argo-rollouts/utils/defaults"
)

// assessment accumulates assessRunStatus's loop state.
type assessment struct {
	worstStatus  v1alpha1.AnalysisPhase
	worstMessage string
	run, dryRun  v1alpha1.RunSummary
}

// assessRunStatus restates analysis.go assessRunStatus: it updates every
// metric's phase, the run and dry-run summaries and StartedAt, and returns
// the run's phase and message. Quirks kept: "terminating" is read before
// this reconcile's metric phases are updated, so when one metric turns
// Failed the others are only assessed as terminating (and count as
// Successful) on the next reconcile, the one the status patch triggers;
// dry-run metrics never make the run worse than Successful.
func assessRunStatus(run *v1alpha1.AnalysisRun, metrics []v1alpha1.Metric, dryRun map[string]bool, now time.Time) (v1alpha1.AnalysisPhase, string) {
	var a assessment
	terminating := analysisutil.IsTerminating(run)
	everythingCompleted := true
	if run.Status.StartedAt == nil {
		run.Status.StartedAt = metaTime(now)
	}
	if run.Spec.Terminate {
		a.worstMessage = "Run Terminated"
	}
	for _, metric := range metrics {
		if dryRun[metric.Name] {
			a.dryRun.Count++
		} else {
			a.run.Count++
		}
		result := analysisutil.GetResult(run, metric.Name)
		if result == nil {
			everythingCompleted = false // not measured yet (initialDelay)
			continue
		}
		metricStatus := assessMetricStatus(metric, *result, terminating)
		if result.Phase != metricStatus {
			if last := analysisutil.LastMeasurement(run, metric.Name); last != nil {
				result.Message = last.Message
			}
			result.Phase = metricStatus
			analysisutil.SetResult(run, *result)
		}
		if !metricStatus.Completed() {
			everythingCompleted = false
			continue
		}
		a.addCompleted(run, metric, result, metricStatus, dryRun[metric.Name])
	}
	a.worstMessage = strings.TrimSpace(a.worstMessage)
	run.Status.RunSummary = a.run
	run.Status.DryRunSummary = &a.dryRun
	if terminating {
		if a.worstStatus == "" {
			return v1alpha1.AnalysisPhaseSuccessful, a.worstMessage
		}
		return a.worstStatus, a.worstMessage
	}
	if !everythingCompleted || a.worstStatus == "" {
		return v1alpha1.AnalysisPhaseRunning, ""
	}
	return a.worstStatus, a.worstMessage
}

// addCompleted restates assessRunStatus's handling of a completed metric.
func (a *assessment) addCompleted(run *v1alpha1.AnalysisRun, metric v1alpha1.Metric, result *v1alpha1.MetricResult, metricStatus v1alpha1.AnalysisPhase, dryRun bool) {
	phase, message := assessMetricFailureInconclusiveOrError(metric, *result)
	if dryRun {
		if a.worstStatus == "" {
			a.worstStatus = v1alpha1.AnalysisPhaseSuccessful
		}
		if message != "" {
			result.Message = fmt.Sprintf("Metric assessed %s due to %s", metricStatus, message)
			analysisutil.SetResult(run, *result)
		}
		tally(&a.dryRun, phase)
		return
	}
	if a.worstStatus == "" || analysisutil.IsWorse(a.worstStatus, metricStatus) {
		a.worstStatus = metricStatus
		if message != "" {
			a.worstMessage = fmt.Sprintf("Metric \"%s\" assessed %s due to %s", metric.Name, metricStatus, message)
			if result.Message != "" {
				a.worstMessage += fmt.Sprintf(": \"Error Message: %s\"", result.Message)
			}
		}
	}
	tally(&a.run, phase)
}

// tally counts a completed metric in a summary by the phase
// assessMetricFailureInconclusiveOrError gave it: a metric that ended
// Successful, or Failed by consecutiveSuccessLimit, counts as Successful.
func tally(s *v1alpha1.RunSummary, phase v1alpha1.AnalysisPhase) {
	switch phase {
	case v1alpha1.AnalysisPhaseError:
		s.Error++
	case v1alpha1.AnalysisPhaseFailed:
		s.Failed++
	case v1alpha1.AnalysisPhaseInconclusive:
		s.Inconclusive++
	default:
		s.Successful++
	}
}

// assessMetricStatus restates analysis.go assessMetricStatus. Quirk kept
// (argo-rollouts#4479, unfixed in v1.10.1): a terminating run turns every
// metric that has not crossed a limit Successful, even one that never
// measured Successful.
func assessMetricStatus(metric v1alpha1.Metric, result v1alpha1.MetricResult, terminating bool) v1alpha1.AnalysisPhase {
	if result.Phase.Completed() {
		return result.Phase
	}
	if len(result.Measurements) == 0 {
		if terminating {
			return v1alpha1.AnalysisPhaseSuccessful
		}
		return v1alpha1.AnalysisPhasePending
	}
	if !result.Measurements[len(result.Measurements)-1].Phase.Completed() {
		return v1alpha1.AnalysisPhaseRunning
	}
	if phase, _ := assessMetricFailureInconclusiveOrError(metric, result); phase != "" {
		return phase
	}
	successLimit := 0
	if metric.ConsecutiveSuccessLimit != nil {
		successLimit = metric.ConsecutiveSuccessLimit.IntValue()
	}
	if successLimit > 0 && result.ConsecutiveSuccess >= int32(successLimit) {
		return v1alpha1.AnalysisPhaseSuccessful
	}
	effectiveCount := metric.EffectiveCount()
	if effectiveCount != nil && result.Count >= int32(effectiveCount.IntValue()) {
		failureApplicable := metric.FailureLimit == nil || metric.FailureLimit.IntValue() >= 0
		successApplicable := successLimit > 0
		switch {
		case failureApplicable && successApplicable:
			return v1alpha1.AnalysisPhaseInconclusive
		case successApplicable:
			return v1alpha1.AnalysisPhaseFailed
		}
		return v1alpha1.AnalysisPhaseSuccessful
	}
	if terminating {
		return v1alpha1.AnalysisPhaseSuccessful
	}
	return v1alpha1.AnalysisPhaseRunning
}

// assessMetricFailureInconclusiveOrError restates the analysis.go function
// of that name. The checks run in this order and a later one overrides an
// earlier one: failed > failureLimit (skipped when failureLimit is
// negative), inconclusive > inconclusiveLimit, consecutiveError >
// consecutiveErrorLimit (default 4).
func assessMetricFailureInconclusiveOrError(metric v1alpha1.Metric, result v1alpha1.MetricResult) (v1alpha1.AnalysisPhase, string) {
	var phase v1alpha1.AnalysisPhase
	var message string
	failureLimit := int32(0)
	if metric.FailureLimit != nil {
		failureLimit = int32(metric.FailureLimit.IntValue())
	}
	if failureLimit >= 0 && result.Failed > failureLimit {
		phase = v1alpha1.AnalysisPhaseFailed
		message = fmt.Sprintf("failed (%d) > failureLimit (%d)", result.Failed, failureLimit)
	}
	inconclusiveLimit := int32(0)
	if metric.InconclusiveLimit != nil {
		inconclusiveLimit = int32(metric.InconclusiveLimit.IntValue())
	}
	if result.Inconclusive > inconclusiveLimit {
		phase = v1alpha1.AnalysisPhaseInconclusive
		message = fmt.Sprintf("inconclusive (%d) > inconclusiveLimit (%d)", result.Inconclusive, inconclusiveLimit)
	}
	consecutiveErrorLimit := defaults.GetConsecutiveErrorLimitOrDefault(&metric)
	if result.ConsecutiveError > consecutiveErrorLimit {
		phase = v1alpha1.AnalysisPhaseError
		message = fmt.Sprintf("consecutiveErrors (%d) > consecutiveErrorLimit (%d)", result.ConsecutiveError, consecutiveErrorLimit)
	}
	return phase, message
}
