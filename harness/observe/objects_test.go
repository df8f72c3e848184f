package observe

import (
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Builders of the unstructured objects the controller produces, shaped like
// real argoproj.io/v1alpha1 objects (fields the observer does not read are
// left out).

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func classicSteps() []any {
	return []any{
		map[string]any{"setWeight": int64(20)},
		map[string]any{"pause": map[string]any{"duration": "10s"}},
		map[string]any{"analysis": map[string]any{"templates": []any{map[string]any{"templateName": "success-rate"}}}},
		map[string]any{"setWeight": int64(60)},
		map[string]any{"pause": map[string]any{}},
	}
}

type ro struct {
	gen, observed   int64
	steps           []any
	blueGreen       bool
	step            *int64
	hash, stable    string
	phase, message  string
	abort           bool
	pauses          []string
	available, upd  int64
	active, preview string
}

func (r ro) obj() *unstructured.Unstructured {
	strategy := map[string]any{"canary": map[string]any{"steps": r.steps}}
	if r.blueGreen {
		strategy = map[string]any{"blueGreen": map[string]any{"activeService": "faultapp"}}
	}
	status := map[string]any{
		"observedGeneration": itoa(r.observed),
		"currentPodHash":     r.hash,
		"stableRS":           r.stable,
		"phase":              r.phase,
		"message":            r.message,
		"replicas":           int64(5),
		"availableReplicas":  r.available,
		"updatedReplicas":    r.upd,
	}
	if r.step != nil {
		status["currentStepIndex"] = *r.step
	}
	if r.abort {
		status["abort"] = true
	}
	if len(r.pauses) > 0 {
		var pcs []any
		for _, p := range r.pauses {
			pcs = append(pcs, map[string]any{"reason": p, "startTime": "2025-03-01T12:00:00Z"})
		}
		status["pauseConditions"] = pcs
	}
	if r.blueGreen {
		status["blueGreen"] = map[string]any{"activeSelector": r.active, "previewSelector": r.preview}
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1",
		"kind":       "Rollout",
		"metadata":   map[string]any{"name": "faultapp", "namespace": "ns", "generation": r.gen},
		"spec":       map[string]any{"replicas": int64(5), "strategy": strategy},
		"status":     status,
	}}
}

func itoa(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func i64(n int64) *int64 { return &n }

type meas struct{ phase, value, started, finished string }

func analysisRun(name, phase, message string, ms ...meas) *unstructured.Unstructured {
	var list []any
	for _, m := range ms {
		e := map[string]any{"phase": m.phase, "value": m.value, "startedAt": m.started}
		if m.finished != "" {
			e["finishedAt"] = m.finished
		}
		list = append(list, e)
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1",
		"kind":       "AnalysisRun",
		"metadata": map[string]any{
			"name": name, "namespace": "ns", "creationTimestamp": "2025-03-01T12:00:00Z",
			"labels":          map[string]any{PodTemplateHashLabel: "h2", "rollout-type": "Step"},
			"ownerReferences": []any{map[string]any{"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "faultapp", "uid": "u1"}},
		},
		"spec": map[string]any{},
		"status": map[string]any{
			"phase": phase, "message": message,
			"metricResults": []any{map[string]any{"name": "success-rate", "phase": phase, "measurements": list}},
		},
	}}
}

func replicaSet(name, hash string, available int64) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "ReplicaSet",
		"metadata":   map[string]any{"name": name, "namespace": "ns", "labels": map[string]any{PodTemplateHashLabel: hash}},
		"spec": map[string]any{"replicas": available, "template": map[string]any{
			"metadata": map[string]any{"labels": map[string]any{VersionLabel: "v-" + hash}}}},
		"status": map[string]any{"replicas": available, "readyReplicas": available, "availableReplicas": available},
	}}
}

func kubeEvent(uid, kind, reason, message string, count int64) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion":     "v1",
		"kind":           "Event",
		"metadata":       map[string]any{"name": uid, "namespace": "ns", "uid": uid},
		"involvedObject": map[string]any{"kind": kind, "name": "faultapp", "namespace": "ns"},
		"reason":         reason, "message": message, "type": "Normal", "count": count,
		"lastTimestamp": "2025-03-01T12:00:00Z",
	}}
}
