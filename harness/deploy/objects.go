package deploy

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
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
	for i := range s.Strategy.Templates {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&s.Strategy.Templates[i])
		if err != nil {
			return nil, fmt.Errorf("deploy: strategy %s: template %d: %w", s.StrategyName, i, err)
		}
		u := &unstructured.Unstructured{Object: m}
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
