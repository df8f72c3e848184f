package deploy

import (
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Objects returns every object of s in apply order: Namespace, Services,
// AnalysisTemplates, Rollout.
func Objects(s Spec) ([]*unstructured.Unstructured, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	objs := []*unstructured.Unstructured{Namespace(s)}
	objs = append(objs, Services(s)...)
	tpls, err := AnalysisTemplates(s)
	if err != nil {
		return nil, err
	}
	objs = append(objs, tpls...)
	ro, err := Rollout(s)
	if err != nil {
		return nil, err
	}
	return append(objs, ro), nil
}

// Namespace returns the strategy's Namespace.
func Namespace(s Spec) *unstructured.Unstructured {
	return obj("v1", "Namespace", s.meta(s.Namespace, false), nil)
}

// Services returns the faultapp Service (NodePort entry) and, for
// blue-green strategies, the preview Service (ClusterIP). Argo Rollouts
// adds the revision selector to both for blue-green.
func Services(s Spec) []*unstructured.Unstructured {
	port := map[string]any{"name": PortName, "port": int64(80), "targetPort": PortName, "protocol": "TCP"}
	entry := copyMap(port)
	entry["nodePort"] = int64(s.NodePort)
	out := []*unstructured.Unstructured{obj("v1", "Service", s.meta(AppName, true), map[string]any{
		"type":     "NodePort",
		"selector": map[string]any{LabelName: AppName},
		"ports":    []any{entry},
		// Spread connections over every ready pod at random, like a
		// production load balancer in front of the Rollout.
		"externalTrafficPolicy": "Cluster",
	})}
	if s.BlueGreen() {
		out = append(out, obj("v1", "Service", s.meta(AppName+"-preview", true), map[string]any{
			"type":     "ClusterIP",
			"selector": map[string]any{LabelName: AppName},
			"ports":    []any{port},
		}))
	}
	return out
}

// AnalysisTemplates returns the strategy's templates in its namespace,
// labelled like every other object.
func AnalysisTemplates(s Spec) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	for i, t := range s.Strategy.AnalysisTemplates {
		u := &unstructured.Unstructured{Object: deepCopyJSON(t)}
		if u.GetKind() != "AnalysisTemplate" || u.GetName() == "" {
			return nil, fmt.Errorf("deploy: strategy %s: template %d is not a named AnalysisTemplate", s.StrategyName, i)
		}
		u.SetNamespace(s.Namespace)
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		for k, v := range s.labels() {
			labels[k] = v.(string)
		}
		u.SetLabels(labels)
		out = append(out, u)
	}
	return out, nil
}

func obj(apiVersion, kind string, meta, spec map[string]any) *unstructured.Unstructured {
	o := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
	if spec != nil {
		o["spec"] = spec
	}
	return &unstructured.Unstructured{Object: o}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// deepCopyJSON copies JSON-compatible data through encoding/json, which
// also normalises numbers the way unstructured objects hold them.
func deepCopyJSON(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("deploy: JSON-compatible data does not marshal: %v", err))
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("deploy: unmarshal: %v", err))
	}
	return normalizeNumbers(out).(map[string]any)
}

// normalizeNumbers turns float64 values that are whole numbers into int64,
// as the API machinery's unstructured JSON decoder does.
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeNumbers(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = normalizeNumbers(e)
		}
		return t
	case float64:
		if t == float64(int64(t)) {
			return int64(t)
		}
		return t
	default:
		return v
	}
}
