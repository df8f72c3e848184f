package deploy

import (
	"fmt"
	"strconv"

	"github.com/coalmine/coalmine/scenarios"

	"k8s.io/apimachinery/pkg/runtime"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Probe and shutdown timings of faultapp pods: quick readiness so the
// controller's decisions take effect fast, and a preStop pause so
// kube-proxy stops routing to a pod before it stops listening (2 s and 5 s were
// measured too short on a busy 2-core node: requests failed with EOF and
// resets in the second after every scale-down).
const (
	readinessPeriodSeconds  = 1
	livenessPeriodSeconds   = 5
	preStopSleepSeconds     = 10
	terminationGraceSeconds = 25 // preStop + faultapp's 10 s shutdown limit + slack
	revisionHistoryLimit    = 3
)

// Rollout returns the faultapp Rollout: the strategy block under
// spec.strategy and a pod template running s.Pod.
func Rollout(s Spec) (*unstructured.Unstructured, error) {
	strategy, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&s.Strategy.Spec)
	if err != nil {
		return nil, fmt.Errorf("deploy: strategy %s: %w", s.StrategyName, err)
	}
	spec := map[string]any{
		"replicas":                int64(s.App.Replicas),
		"revisionHistoryLimit":    int64(revisionHistoryLimit),
		"progressDeadlineSeconds": int64(s.Strategy.ProgressDeadlineSeconds),
		"selector":                map[string]any{"matchLabels": map[string]any{LabelName: AppName}},
		"strategy":                strategy,
		"template":                PodTemplate(s),
	}
	if s.Strategy.ProgressDeadlineAbort {
		spec["progressDeadlineAbort"] = true
	}
	return obj("argoproj.io/v1alpha1", "Rollout", s.meta(AppName, true), spec), nil
}

// PodTemplate returns the Rollout's pod template for s.Pod.
func PodTemplate(s Spec) map[string]any {
	labels := map[string]any{LabelName: AppName, LabelVersion: s.Pod.Version, LabelRun: s.RunID, LabelStrategy: s.StrategyName}
	faults := s.Pod.Faults
	if faults == "" {
		faults = "{}"
	}
	return map[string]any{
		"metadata": map[string]any{"labels": labels},
		"spec": map[string]any{
			"terminationGracePeriodSeconds": int64(terminationGraceSeconds),
			"enableServiceLinks":            false,
			"containers":                    []any{container(s, faults)},
		},
	}
}

func container(s Spec, faults string) map[string]any {
	pull := s.PullPolicy
	if pull == "" {
		pull = "IfNotPresent"
	}
	return map[string]any{
		"name":            ContainerName,
		"image":           s.Image,
		"imagePullPolicy": pull,
		"env": []any{
			env("VERSION", s.Pod.Version),
			env("FAULTS", faults),
			env("SEED", strconv.FormatUint(s.Seed, 10)),
			env("LISTEN", ":"+strconv.Itoa(ContainerPort)),
		},
		"ports":          []any{map[string]any{"name": PortName, "containerPort": int64(ContainerPort), "protocol": "TCP"}},
		"readinessProbe": probe("/readyz", readinessPeriodSeconds, 2),
		"livenessProbe":  probe("/healthz", livenessPeriodSeconds, 3),
		"lifecycle": map[string]any{
			"preStop": map[string]any{"sleep": map[string]any{"seconds": int64(preStopSleepSeconds)}},
		},
		"resources": resources(s),
	}
}

func env(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }

func probe(path string, period, failures int64) map[string]any {
	return map[string]any{
		"httpGet":          map[string]any{"path": path, "port": PortName},
		"periodSeconds":    period,
		"timeoutSeconds":   int64(1),
		"failureThreshold": failures,
	}
}

func resources(s Spec) map[string]any {
	list := func(cpu, mem scenarios.Quantity) map[string]any {
		m := map[string]any{}
		if cpu != "" {
			m["cpu"] = string(cpu)
		}
		if mem != "" {
			m["memory"] = string(mem)
		}
		return m
	}
	r := s.App.Resources
	return map[string]any{
		"requests": list(r.Requests.CPU, r.Requests.Memory),
		"limits":   list(r.Limits.CPU, r.Limits.Memory),
	}
}
