package run

import (
	"fmt"
	"maps"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/pins"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// newResults starts the run's results: scenario, environment, components
// and seed.
func (e *engine) newResults(started time.Time) (*results.Results, error) {
	s := e.o.Scenario
	y, err := scenarioYAML(s)
	if err != nil {
		return nil, err
	}
	return &results.Results{
		SchemaVersion: results.SchemaVersion,
		Scenario: results.ScenarioInfo{
			Name: s.Metadata.Name, Description: s.Metadata.Description, Source: s.Source, YAML: y,
			TimeScale: s.Spec.TimeScale, DayLengthSeconds: s.Spec.Traffic.DayLength.Seconds(),
		},
		Environment: e.o.Cluster.Environment,
		Components:  e.components(),
		Seed:        e.o.Seed,
		StartedAt:   started,
	}, nil
}

// components are the pinned versions, overridden by what the cluster
// reports, plus the faultapp image.
func (e *engine) components() map[string]string {
	c := map[string]string{
		"kubernetes":    pins.Kubernetes,
		"argo-rollouts": pins.ArgoRollouts,
		"prometheus":    pins.Prometheus,
		"kind":          pins.Kind,
	}
	maps.Copy(c, e.o.Cluster.Components)
	c["faultapp"] = e.o.Image
	return c
}

// scenarioYAML renders the scenario as run (after defaulting).
func scenarioYAML(s *scenarios.Scenario) (string, error) {
	b, err := yaml.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("scenario yaml: %w", err)
	}
	return string(b), nil
}
