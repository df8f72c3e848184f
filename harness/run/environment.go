package run

import (
	"context"
	"fmt"

	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/results"
)

// FromEnvironment describes a brought-up environment (cluster.Bringup)
// for Run: its API access, its traffic entries and what to record about
// it. Runs need traffic entries on 127.0.0.1 (the kind environment): load
// is never aimed at a remote address.
func FromEnvironment(ctx context.Context, env *cluster.Environment, set images.Set) (Cluster, error) {
	p := env.Provider
	if len(env.Ports.Entries) == 0 {
		return Cluster{}, fmt.Errorf("cluster %s/%s publishes no traffic entries on 127.0.0.1: "+
			"runs need the kind environment (load is never aimed at a remote address)", p.Env(), p.Name())
	}
	c := Cluster{
		Config:      env.Config,
		Environment: results.Environment{Kind: p.Env(), Images: string(set.Source), Cluster: p.Name()},
		Components: map[string]string{
			"node-image": set.Node, "argo-rollouts-image": set.ArgoRollouts, "prometheus-image": set.Prometheus,
		},
	}
	if st, err := p.Status(ctx); err == nil {
		c.Environment.Context = st.Context
		if st.Kubernetes != "" {
			c.Components["kubernetes"] = st.Kubernetes
		}
	}
	for _, e := range env.Ports.Entries {
		c.Entries = append(c.Entries, Entry{NodePort: e.NodePort, HostPort: int(e.HostPort)})
	}
	return c, nil
}
