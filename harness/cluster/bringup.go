package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/client-go/rest"

	"github.com/coalmine/coalmine/harness/addons"
)

// Environment is a cluster with its add-ons installed: what a run needs.
type Environment struct {
	Provider Provider
	Config   *rest.Config
	Clients  *addons.Clients
	// Ports is the host port layout (zero on an existing cluster).
	Ports Ports
	// Created says whether Bringup made the cluster.
	Created bool
	Addons  addons.Result
}

// PrometheusInClusterURL is how pods and AnalysisTemplates reach Prometheus.
func (e *Environment) PrometheusInClusterURL() string { return addons.PrometheusInClusterURL }

// PrometheusHostURL is Prometheus on 127.0.0.1, or "" where the cluster
// publishes no ports (query through e.Clients.Prometheus() instead).
func (e *Environment) PrometheusHostURL() string { return e.Ports.PrometheusURL() }

// servicesRouter is a provider that can tell when a new cluster's
// Services are routed.
type servicesRouter interface {
	WaitServicesRouted(ctx context.Context) error
}

// Bringup runs p.Up and installs the add-ons. If it made the cluster and
// anything after fails or ctx ends, the cluster is deleted again.
func Bringup(ctx context.Context, p Provider, ao addons.Options) (*Environment, error) {
	created, err := p.Up(ctx)
	if err != nil {
		return nil, err
	}
	env := &Environment{Provider: p, Created: created, Ports: p.Ports()}
	fail := func(err error) (*Environment, error) {
		if !created {
			return nil, err
		}
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		return nil, errors.Join(err, p.Down(dctx))
	}
	if env.Config, err = p.RESTConfig(ctx); err != nil {
		return fail(err)
	}
	if env.Clients, err = addons.NewClients(env.Config); err != nil {
		return fail(err)
	}
	ao.PrometheusNodePort = env.Ports.Prometheus.NodePort
	ao.Existing = p.Env() == EnvExisting
	if r, ok := p.(servicesRouter); ok && created {
		ao.WaitServices = r.WaitServicesRouted
	}
	if env.Addons, err = addons.Install(ctx, env.Clients, ao); err != nil {
		return fail(fmt.Errorf("add-ons: %w", err))
	}
	return env, nil
}
