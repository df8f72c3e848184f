package analysisrun

import (
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
)

type scenarioCase struct {
	sc   scenario
	want want
}

const (
	successful   = v1alpha1.AnalysisPhaseSuccessful
	failed       = v1alpha1.AnalysisPhaseFailed
	inconclusive = v1alpha1.AnalysisPhaseInconclusive
	errored      = v1alpha1.AnalysisPhaseError
)

// scenarioCases are the brief's cases; the expected outcomes follow from
// analysis.go v1.10.1 (comments give the reasoning).
func scenarioCases() []scenarioCase {
	return append(limitCases(), runCases()...)
}

func limitCases() []scenarioCase {
	return []scenarioCase{
		{scenario{name: "count-interval-args", spec: v1alpha1.AnalysisRunSpec{
			Metrics: []v1alpha1.Metric{metric("m1", then(every("30s", 3), func(m *v1alpha1.Metric) {
				m.Provider.Prometheus.Query = "{{args.name}}"
			}))},
			Args: []v1alpha1.Argument{{Name: "name", Value: strPtr("m1")}},
		}}, want{successful, "", then2(counters("m1", successful, 3, 3, 0, 0, 0, 0), spacedBy("m1", 30*time.Second))}},
		{scenario{name: "initial-delay", spec: specOf(metric("m1", then(every("20s", 2), func(m *v1alpha1.Metric) { m.InitialDelay = "45s" })))},
			want{successful, "", then2(counters("m1", successful, 2, 2, 0, 0, 0, 0), firstAfter("m1", 45*time.Second))}},
		// initialDelay "0s" differs from none: StartedAt is nil during the first reconcile.
		{scenario{name: "initial-delay-zero", spec: specOf(metric("m1", func(m *v1alpha1.Metric) { m.InitialDelay = "0s" }))},
			want{successful, "", counters("m1", successful, 1, 1, 0, 0, 0, 0)}},
		{scenario{name: "failure-limit", spec: specOf(metric("m1", then(every("30s", 5), failureLimit(1)))), script: map[string]string{"m1": "SFSF"}},
			want{failed, `Metric "m1" assessed Failed due to failed (2) > failureLimit (1)`, counters("m1", failed, 4, 2, 2, 0, 0, 0)}},
		// failureLimit -1 disables failing; consecutiveSuccessLimit decides.
		{scenario{name: "failure-limit-disabled-success", spec: specOf(metric("m1", then(every("10s", 4), failureLimit(-1), successLimit(2)))), script: map[string]string{"m1": "FFSS"}},
			want{successful, "", counters("m1", successful, 4, 2, 2, 0, 0, 0)}},
		// count reached without 2 successes in a row: Failed, and no message.
		{scenario{name: "failure-limit-disabled-fail", spec: specOf(metric("m1", then(every("10s", 4), failureLimit(-1), successLimit(2)))), script: map[string]string{"m1": "FSFS"}},
			want{failed, "", counters("m1", failed, 4, 2, 2, 0, 0, 0)}},
		// both limits apply and neither decided at count: Inconclusive.
		{scenario{name: "success-limit-with-failure-limit", spec: specOf(metric("m1", then(every("10s", 3), failureLimit(1), successLimit(2)))), script: map[string]string{"m1": "SFS"}},
			want{inconclusive, "", counters("m1", inconclusive, 3, 2, 1, 0, 0, 0)}},
		{scenario{name: "inconclusive-limit", spec: specOf(metric("m1", then(every("30s", 5), func(m *v1alpha1.Metric) { m.InconclusiveLimit = intOrStr(1) }))), script: map[string]string{"m1": "ISI"}},
			want{inconclusive, `Metric "m1" assessed Inconclusive due to inconclusive (2) > inconclusiveLimit (1)`, counters("m1", inconclusive, 3, 1, 0, 2, 0, 0)}},
		// default consecutiveErrorLimit 4: the 5th error in a row ends it; errors retry after 10 s and never count.
		{scenario{name: "consecutive-errors", spec: specOf(metric("m1", every("60s", 2))), script: map[string]string{"m1": "EEEEX"}},
			want{errored, `Metric "m1" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: execution: scripted failure"`,
				then2(counters("m1", errored, 0, 0, 0, 0, 5, 5), spacedBy("m1", 10*time.Second))}},
		{scenario{name: "errors-reset", spec: specOf(metric("m1", every("60s", 3))), script: map[string]string{"m1": "EESEEXS"}},
			want{successful, "", counters("m1", successful, 3, 3, 0, 0, 5, 0)}},
		{scenario{name: "consecutive-error-limit-0", spec: specOf(metric("m1", then(every("60s", 3), func(m *v1alpha1.Metric) { m.ConsecutiveErrorLimit = intOrStr(0) }))), script: map[string]string{"m1": "X"}},
			want{errored, `Metric "m1" assessed Error due to consecutiveErrors (1) > consecutiveErrorLimit (0)`, counters("m1", errored, 0, 0, 0, 0, 1, 1)}},
		{scenario{name: "single-no-interval", spec: specOf(metric("m1", nil)), script: map[string]string{"m1": "F"}},
			want{failed, `Metric "m1" assessed Failed due to failed (1) > failureLimit (0)`, counters("m1", failed, 1, 0, 1, 0, 0, 0)}},
		{scenario{name: "invalid-spec", spec: specOf(metric("m1", func(m *v1alpha1.Metric) { m.Count = intOrStr(2) }))},
			want{errored, "Analysis spec invalid: metrics[0]: interval must be specified when count > 1", func(t *testing.T, run *v1alpha1.AnalysisRun) {
				if run.Status.StartedAt != nil || run.Status.CompletedAt != nil {
					t.Errorf("startedAt %v completedAt %v, want both unset", run.Status.StartedAt, run.Status.CompletedAt)
				}
			}}},
	}
}

func runCases() []scenarioCase {
	return []scenarioCase{
		// a failing dry-run metric is reported but the run succeeds.
		{scenario{name: "dry-run", spec: v1alpha1.AnalysisRunSpec{
			Metrics: []v1alpha1.Metric{metric("m1", every("30s", 3)), metric("m2", every("30s", 3))},
			DryRun:  []v1alpha1.DryRun{{MetricName: "m2"}},
		}, script: map[string]string{"m2": "FFF"}}, want{successful, "", func(t *testing.T, run *v1alpha1.AnalysisRun) {
			counters("m2", failed, 1, 0, 1, 0, 0, 0)(t, run)
			if m := result(t, run, "m2").Message; m != "Metric assessed Failed due to failed (1) > failureLimit (0)" {
				t.Errorf("dry-run metric message %q", m)
			}
			if s := run.Status.DryRunSummary; s == nil || s.Count != 1 || s.Failed != 1 || run.Status.RunSummary.Successful != 1 {
				t.Errorf("summaries run %+v dry-run %+v", run.Status.RunSummary, s)
			}
		}}},
		// m2 fails first; on the next reconcile (its own status patch) the
		// run is terminating and the unbounded m1 counts as Successful.
		{scenario{name: "one-fails-first", spec: specOf(metric("m1", every("30s", -1)), metric("m2", every("20s", 5))), script: map[string]string{"m2": "SF"}},
			want{failed, `Metric "m2" assessed Failed due to failed (1) > failureLimit (0)`, then2(
				counters("m2", failed, 2, 1, 1, 0, 0, 0), func(t *testing.T, run *v1alpha1.AnalysisRun) {
					if r := result(t, run, "m1"); r.Phase != successful || r.Count < 1 {
						t.Errorf("m1 %s count %d, want Successful", r.Phase, r.Count)
					}
				})}},
		{scenario{name: "terminate-mid-run", spec: specOf(metric("m1", every("30s", -1))), terminate: 100 * time.Second},
			want{successful, "Run Terminated", counters("m1", successful, 4, 4, 0, 0, 0, 0)}},
		{scenario{name: "terminate-before-first", spec: specOf(metric("m1", then(every("30s", -1), func(m *v1alpha1.Metric) { m.InitialDelay = "60s" }))), terminate: 10 * time.Second},
			want{successful, "Run Terminated", func(t *testing.T, run *v1alpha1.AnalysisRun) {
				if len(run.Status.MetricResults) != 0 {
					t.Errorf("results %+v, want none", run.Status.MetricResults)
				}
			}}},
		// argo-rollouts#4479: terminated before count, never Successful, still Successful.
		{scenario{name: "issue-4479", spec: specOf(metric("m1", then(every("10s", 5), failureLimit(2)))), script: map[string]string{"m1": "EEEFFEEE"}, terminate: 55 * time.Second},
			want{successful, "Run Terminated", func(t *testing.T, run *v1alpha1.AnalysisRun) {
				if r := result(t, run, "m1"); r.Phase != successful || r.Successful != 0 || r.Failed != 2 {
					t.Errorf("m1 %s successful %d failed %d, want Successful 0 2", r.Phase, r.Successful, r.Failed)
				}
			}}},
		// count 0 with an interval runs until terminated; 10 measurements kept.
		{scenario{name: "count-zero-until-terminated", spec: specOf(metric("m1", every("1m", 0))), terminate: 30 * time.Minute},
			want{successful, "Run Terminated", func(t *testing.T, run *v1alpha1.AnalysisRun) {
				if r := result(t, run, "m1"); len(r.Measurements) != DefaultMeasurementHistoryLimit || r.Count < 28 {
					t.Errorf("%d measurements kept, count %d: want %d kept of ≥ 28", len(r.Measurements), r.Count, DefaultMeasurementHistoryLimit)
				}
			}}},
		{scenario{name: "measurement-retention", spec: v1alpha1.AnalysisRunSpec{
			Metrics:              []v1alpha1.Metric{metric("m1", every("10s", 6))},
			MeasurementRetention: []v1alpha1.MeasurementRetention{{MetricName: "m1", Limit: 2}},
		}}, want{successful, "", func(t *testing.T, run *v1alpha1.AnalysisRun) {
			if r := result(t, run, "m1"); len(r.Measurements) != 2 || r.Count != 6 {
				t.Errorf("%d measurements kept, count %d: want 2 of 6", len(r.Measurements), r.Count)
			}
		}}},
	}
}

func strPtr(s string) *string { return &s }

func then2(a, b func(*testing.T, *v1alpha1.AnalysisRun)) func(*testing.T, *v1alpha1.AnalysisRun) {
	return func(t *testing.T, run *v1alpha1.AnalysisRun) { a(t, run); b(t, run) }
}

// spacedBy requires consecutive measurements to start at least d apart,
// less the second the API server's truncation gives away.
func spacedBy(name string, d time.Duration) func(*testing.T, *v1alpha1.AnalysisRun) {
	return func(t *testing.T, run *v1alpha1.AnalysisRun) {
		ms := result(t, run, name).Measurements
		for i := 1; i < len(ms); i++ {
			if gap := ms[i].StartedAt.Sub(ms[i-1].FinishedAt.Time); gap < d-time.Second || gap > d+5*time.Second {
				t.Errorf("%s: measurement %d came %v after the previous one, want about %v", name, i, gap, d)
			}
		}
	}
}

// firstAfter requires the first measurement not before StartedAt+d.
func firstAfter(name string, d time.Duration) func(*testing.T, *v1alpha1.AnalysisRun) {
	return func(t *testing.T, run *v1alpha1.AnalysisRun) {
		first := result(t, run, name).Measurements[0].StartedAt.Time
		if first.Before(run.Status.StartedAt.Add(d)) {
			t.Errorf("%s: first measurement at %v, before startedAt+%v", name, first.Sub(run.Status.StartedAt.Time), d)
		}
	}
}
