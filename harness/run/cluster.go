package run

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/observe"
	"github.com/coalmine/coalmine/results"
)

// Cluster is a prepared environment: a cluster running the Argo Rollouts
// controller and Prometheus, and the entries traffic reaches it through.
type Cluster struct {
	Config *rest.Config
	// Entries are the NodePorts reachable on 127.0.0.1: each strategy
	// running at a time takes one, so traffic never crosses namespaces.
	Entries []Entry
	// Environment and Components are recorded in results.json.
	Environment results.Environment
	Components  map[string]string
}

// Entry is one traffic entry: a NodePort and the 127.0.0.1 port it is
// mapped to on this machine.
type Entry struct {
	NodePort int32
	HostPort int
}

// kubeAPI is what the engine asks of the cluster. The real one talks to
// the API server; tests substitute their own at this boundary.
type kubeAPI interface {
	Apply(ctx context.Context, objs ...*unstructured.Unstructured) error
	// DeleteNamespace deletes a namespace and returns once it is gone.
	DeleteNamespace(ctx context.Context, name string) error
	// Watch starts an observer of the faultapp Rollout in namespace.
	Watch(ctx context.Context, namespace string) (watcher, func(), error)
	// SetScrapeInterval makes Prometheus scrape every d.
	SetScrapeInterval(ctx context.Context, d time.Duration) error
}

// watcher is the observer as the engine uses it (*observe.Observer).
type watcher interface {
	BeginRelease(i int)
	Record(e results.Event)
	Wait(ctx context.Context, cond func(observe.Snapshot) bool) (observe.Snapshot, error)
	Snapshot() observe.Snapshot
	Timeline() []results.Event
}

// apiServer is the kubeAPI of a real cluster.
type apiServer struct {
	c   *addons.Clients
	log *slog.Logger
}

func newAPIServer(cfg *rest.Config, log *slog.Logger) (*apiServer, error) {
	c, err := addons.NewClients(cfg)
	if err != nil {
		return nil, err
	}
	return &apiServer{c: c, log: log}, nil
}

func (a *apiServer) Apply(ctx context.Context, objs ...*unstructured.Unstructured) error {
	return a.c.Apply(ctx, objs...)
}

func (a *apiServer) SetScrapeInterval(ctx context.Context, d time.Duration) error {
	return addons.SetScrapeInterval(ctx, a.c, d, 2*time.Minute)
}

func (a *apiServer) Watch(ctx context.Context, namespace string) (watcher, func(), error) {
	o := observe.New(a.c.Dynamic, observe.Options{Namespace: namespace, Rollout: "faultapp", Logger: a.log})
	stop, err := o.Start(ctx)
	if err != nil {
		return nil, nil, err
	}
	return o, stop, nil
}

var namespacesGVR = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}

// DeleteNamespace deletes the namespace (foreground) and watches until it
// is gone.
func (a *apiServer) DeleteNamespace(ctx context.Context, name string) error {
	nss := a.c.Dynamic.Resource(namespacesGVR)
	list, err := nss.List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", name).String()})
	if err != nil {
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	if len(list.Items) == 0 {
		return nil
	}
	policy := metav1.DeletePropagationForeground
	err = nss.Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &policy})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil && !apierrors.IsConflict(err) { // conflict: already terminating
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	w, err := nss.Watch(ctx, metav1.ListOptions{
		FieldSelector:   fields.OneTermEqualSelector("metadata.name", name).String(),
		ResourceVersion: list.GetResourceVersion(),
	})
	if err != nil {
		return fmt.Errorf("watch namespace %s: %w", name, err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("namespace %s still terminating: %w", name, context.Cause(ctx))
		case ev, ok := <-w.ResultChan():
			if !ok {
				return a.DeleteNamespace(ctx, name) // watch expired: look again
			}
			if ev.Type == watch.Deleted {
				return nil
			}
		}
	}
}
