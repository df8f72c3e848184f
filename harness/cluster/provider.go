package cluster

import (
	"context"

	"k8s.io/client-go/rest"
)

// Environments.
const (
	EnvKind     = "kind"
	EnvExisting = "existing"
)

// Provider is one environment's cluster: made (or found) by Up, removed
// by Down. Add-ons are installed separately (Bringup does both).
type Provider interface {
	// Env is EnvKind or EnvExisting; Name the cluster (kind) or context.
	Env() string
	Name() string
	// Up makes sure the cluster exists and its nodes are Ready; a healthy
	// cluster is reused. created says whether this call made it.
	Up(ctx context.Context) (created bool, err error)
	// Down removes what coalmine made.
	Down(ctx context.Context) error
	// Status describes the cluster without changing it.
	Status(ctx context.Context) (Status, error)
	// RESTConfig and Kubeconfig give access to the API server.
	RESTConfig(ctx context.Context) (*rest.Config, error)
	Kubeconfig(ctx context.Context) ([]byte, error)
	// Ports is the host port layout (zero for an existing cluster).
	Ports() Ports
}

// NodeStatus is one node.
type NodeStatus struct {
	Name    string `json:"name"`
	Ready   bool   `json:"ready"`
	Kubelet string `json:"kubelet,omitempty"`
	// Container is the kind node container's state (kind only).
	Container string `json:"container,omitempty"`
}

// Status is a cluster's state.
type Status struct {
	Env    string `json:"env"`
	Name   string `json:"name"`
	Exists bool   `json:"exists"`
	// Context is the kubeconfig context that reaches it.
	Context    string       `json:"context,omitempty"`
	APIServer  string       `json:"apiServer,omitempty"`
	Kubernetes string       `json:"kubernetes,omitempty"`
	NodeImage  string       `json:"nodeImage,omitempty"`
	Nodes      []NodeStatus `json:"nodes,omitempty"`
	Ports      *Ports       `json:"ports,omitempty"`
	// Problem says why an existing cluster is not healthy.
	Problem string `json:"problem,omitempty"`
	// Stopped is set when a kind node container is not running (such a
	// cluster cannot recover; Up replaces it).
	Stopped bool `json:"stopped,omitempty"`
}

// Healthy reports whether the cluster exists, answers and every node is Ready.
func (s Status) Healthy() bool {
	if !s.Exists || s.Problem != "" || len(s.Nodes) == 0 {
		return false
	}
	for _, n := range s.Nodes {
		if !n.Ready {
			return false
		}
	}
	return true
}
