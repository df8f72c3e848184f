package observe

import (
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// AnalysisRun phases (argoproj.io/v1alpha1 AnalysisPhase).
const (
	AnalysisPending      = "Pending"
	AnalysisRunning      = "Running"
	AnalysisSuccessful   = "Successful"
	AnalysisFailed       = "Failed"
	AnalysisError        = "Error"
	AnalysisInconclusive = "Inconclusive"
)

// Terminal reports whether an analysis phase is final.
func Terminal(phase string) bool {
	switch phase {
	case AnalysisSuccessful, AnalysisFailed, AnalysisError, AnalysisInconclusive:
		return true
	}
	return false
}

// Measurement is one measurement of one metric.
type Measurement struct {
	Phase      string
	Value      string
	Message    string
	StartedAt  time.Time
	FinishedAt time.Time
}

// Metric is one metric's results within an AnalysisRun.
type Metric struct {
	Name  string
	Phase string
	// Counts as kept by the controller.
	Successful, Failed, Inconclusive, Errors int
	// Measurements are the retained measurements, oldest first.
	Measurements []Measurement
}

// AnalysisRun is the part of an argoproj.io/v1alpha1 AnalysisRun the
// observer uses.
type AnalysisRun struct {
	Name    string
	Created time.Time
	// Rollout is the name of the owning Rollout ("" when not owned by one).
	Rollout string
	// PodHash is the revision it analyses (rollouts-pod-template-hash).
	PodHash string
	// Type is the rollout-type label: Step, Background, PrePromotion...
	Type    string
	Phase   string
	Message string
	Metrics []Metric
}

// ParseAnalysisRun reads an AnalysisRun object.
func ParseAnalysisRun(u *unstructured.Unstructured) AnalysisRun {
	o := u.Object
	a := AnalysisRun{
		Name:    u.GetName(),
		Created: u.GetCreationTimestamp().Time,
		PodHash: u.GetLabels()[PodTemplateHashLabel],
		Type:    u.GetLabels()["rollout-type"],
		Phase:   str(o, "status", "phase"),
		Message: str(o, "status", "message"),
	}
	for _, ref := range u.GetOwnerReferences() {
		if ref.Kind == "Rollout" {
			a.Rollout = ref.Name
		}
	}
	for _, m := range list(o, "status", "metricResults") {
		a.Metrics = append(a.Metrics, parseMetric(m))
	}
	return a
}

func parseMetric(m map[string]any) Metric {
	n := func(f string) int { v, _ := num(m, f); return int(v) }
	out := Metric{
		Name: str(m, "name"), Phase: str(m, "phase"),
		Successful: n("successful"), Failed: n("failed"),
		Inconclusive: n("inconclusive"), Errors: n("error"),
	}
	for _, ms := range list(m, "measurements") {
		out.Measurements = append(out.Measurements, Measurement{
			Phase:      str(ms, "phase"),
			Value:      str(ms, "value"),
			Message:    str(ms, "message"),
			StartedAt:  timestamp(ms, "startedAt"),
			FinishedAt: timestamp(ms, "finishedAt"),
		})
	}
	return out
}

// Last returns the metric's latest measurement (zero when none).
func (m Metric) Last() Measurement {
	if len(m.Measurements) == 0 {
		return Measurement{}
	}
	return m.Measurements[len(m.Measurements)-1]
}
