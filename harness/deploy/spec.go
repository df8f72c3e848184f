package deploy

import (
	"errors"
	"fmt"

	"github.com/coalmine/coalmine/scenarios"
)

// Labels and names shared by every rendered object.
const (
	AppName       = "faultapp"
	ContainerName = "faultapp"
	ContainerPort = 8080
	PortName      = "http"

	LabelRun      = "coalmine.dev/run"
	LabelStrategy = "coalmine.dev/strategy"
	LabelName     = "app.kubernetes.io/name"
	LabelVersion  = "app.kubernetes.io/version"
	LabelManaged  = "app.kubernetes.io/managed-by"
)

// Spec is everything one strategy's objects are rendered from.
type Spec struct {
	// RunID and StrategyName label every object.
	RunID        string
	StrategyName string
	Namespace    string
	// Strategy is the strategy scaled to the scenario's time scale.
	Strategy *scenarios.ScaledStrategy
	// App gives replicas and resources.
	App scenarios.App
	// Image is faultapp's image; PullPolicy is IfNotPresent or Never.
	Image      string
	PullPolicy string
	// NodePort is the entry port of the faultapp Service (30000-32767).
	NodePort int32
	// Seed is faultapp's SEED: fault decisions are reproducible.
	Seed uint64
	// Pod is what the pod template runs now.
	Pod PodVersion
}

// PodVersion is the part of the pod template a release changes.
type PodVersion struct {
	Version string
	// Faults is the FAULTS env value: the fault model as JSON ("{}" = none).
	Faults string
}

// Validate reports every missing or out-of-range field.
func (s Spec) Validate() error {
	var errs []error
	need := func(v, name string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("deploy: %s is required", name))
		}
	}
	need(s.RunID, "run id")
	need(s.StrategyName, "strategy name")
	need(s.Namespace, "namespace")
	need(s.Image, "image")
	need(s.Pod.Version, "version")
	if s.Strategy == nil {
		errs = append(errs, errors.New("deploy: strategy is required"))
	}
	if s.NodePort < 30000 || s.NodePort > 32767 {
		errs = append(errs, fmt.Errorf("deploy: node port %d outside 30000-32767", s.NodePort))
	}
	if s.App.Replicas < 1 {
		errs = append(errs, fmt.Errorf("deploy: replicas must be ≥ 1, got %d", s.App.Replicas))
	}
	switch s.PullPolicy {
	case "", "IfNotPresent", "Never", "Always":
	default:
		errs = append(errs, fmt.Errorf("deploy: pull policy %q", s.PullPolicy))
	}
	return errors.Join(errs...)
}

// BlueGreen reports whether the strategy is a blue-green one.
func (s Spec) BlueGreen() bool {
	return s.Strategy.Spec.BlueGreen != nil
}

// labels are the labels of every object of the strategy's run.
func (s Spec) labels() map[string]any {
	return map[string]any{
		LabelRun:      s.RunID,
		LabelStrategy: s.StrategyName,
		LabelManaged:  "coalmine",
	}
}

func (s Spec) meta(name string, namespaced bool) map[string]any {
	m := map[string]any{"name": name, "labels": s.labels()}
	if namespaced {
		m["namespace"] = s.Namespace
	}
	return m
}
