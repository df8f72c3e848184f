package run

import (
	"maps"

	"github.com/coalmine/coalmine/harness/pins"
)

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
