package run

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"

	"github.com/coalmine/coalmine/harness/observe"
)

// fakeCluster is the engine's boundary to the API server, in memory: a fake
// dynamic client the real observer watches, and a scripted stand-in for
// the controller that answers each applied Rollout version with the outcome
// the test asks for. It checks the engine's orchestration, not Argo.
type fakeCluster struct {
	dyn      *dynamicfake.FakeDynamicClient
	outcomes map[string]string // version → promote | abort | hang

	// portHeldFor makes the first applies fail as if the NodePort were
	// still held by a deleted Service.
	portHeldFor int

	mu      sync.Mutex
	applied []string // "namespace Kind/name version"
	deleted []string
	scrape  time.Duration
	gen     map[string]int64
}

func newFakeCluster(outcomes map[string]string) *fakeCluster {
	return &fakeCluster{
		dyn: dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
			observe.RolloutsGVR: "RolloutList", observe.AnalysisRunsGVR: "AnalysisRunList",
			observe.ReplicaSetsGVR: "ReplicaSetList", observe.EventsGVR: "EventList",
		}),
		outcomes: outcomes, gen: map[string]int64{},
	}
}

func (f *fakeCluster) Apply(ctx context.Context, objs ...*unstructured.Unstructured) error {
	f.mu.Lock()
	if f.portHeldFor > 0 {
		f.portHeldFor--
		f.mu.Unlock()
		return errors.New(`Service "faultapp" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`)
	}
	f.mu.Unlock()
	for _, o := range objs {
		version, _, _ := unstructured.NestedString(o.Object, "spec", "template", "metadata", "labels", "app.kubernetes.io/version")
		f.mu.Lock()
		f.applied = append(f.applied, fmt.Sprintf("%s %s/%s %s", o.GetNamespace(), o.GetKind(), o.GetName(), version))
		f.gen[o.GetNamespace()]++
		gen := f.gen[o.GetNamespace()]
		f.mu.Unlock()
		if o.GetKind() == "Rollout" {
			go f.control(context.WithoutCancel(ctx), o.GetNamespace(), version, gen)
		}
	}
	return nil
}

func (f *fakeCluster) DeleteNamespace(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, name)
	return nil
}

func (f *fakeCluster) Watch(ctx context.Context, namespace string) (watcher, func(), error) {
	o := observe.New(f.dyn, observe.Options{Namespace: namespace, Rollout: "faultapp"})
	stop, err := o.Start(ctx)
	return o, stop, err
}

func (f *fakeCluster) SetScrapeInterval(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	f.scrape = d
	f.mu.Unlock()
	return nil
}

func (f *fakeCluster) appliedList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.applied...)
}

func (f *fakeCluster) deletedList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.deleted...)
}

// control plays the controller for one applied Rollout: the first version
// becomes healthy; later ones promote, abort (and restore) or hang.
func (f *fakeCluster) control(ctx context.Context, ns, version string, gen int64) {
	hash := "h-" + version
	prev, _ := f.get(ctx, ns)
	stable := ""
	if prev != nil {
		stable, _, _ = unstructured.NestedString(prev.Object, "status", "stableRS")
	}
	f.putRS(ctx, ns, hash, 0)
	if stable == "" { // initial deploy
		f.putRS(ctx, ns, hash, 5)
		f.putRollout(ctx, ns, gen, map[string]any{"phase": "Healthy", "currentPodHash": hash, "stableRS": hash, "availableReplicas": int64(5)})
		return
	}
	f.putRollout(ctx, ns, gen, map[string]any{"phase": "Progressing", "currentPodHash": hash, "stableRS": stable, "availableReplicas": int64(5), "currentStepIndex": int64(0)})
	f.putRS(ctx, ns, hash, 1)
	switch f.outcomes[version] {
	case "promote":
		f.putRS(ctx, ns, hash, 5)
		f.putRS(ctx, ns, stable, 0)
		f.putRollout(ctx, ns, gen, map[string]any{"phase": "Healthy", "currentPodHash": hash, "stableRS": hash, "availableReplicas": int64(5), "currentStepIndex": int64(3)})
	case "abort":
		f.putRollout(ctx, ns, gen, map[string]any{"phase": "Degraded", "abort": true, "currentPodHash": hash, "stableRS": stable,
			"availableReplicas": int64(5), "currentStepIndex": int64(0), "message": "RolloutAborted: metric failed"})
		f.putRS(ctx, ns, hash, 0)
	}
}

func (f *fakeCluster) get(ctx context.Context, ns string) (*unstructured.Unstructured, error) {
	return f.dyn.Resource(observe.RolloutsGVR).Namespace(ns).Get(ctx, "faultapp", metav1.GetOptions{})
}

func (f *fakeCluster) putRollout(ctx context.Context, ns string, gen int64, status map[string]any) {
	status["observedGeneration"] = strconv.FormatInt(gen, 10)
	status["replicas"] = int64(5)
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
		"metadata": map[string]any{"name": "faultapp", "namespace": ns, "generation": gen},
		"spec": map[string]any{"replicas": int64(5), "strategy": map[string]any{"canary": map[string]any{"steps": []any{
			map[string]any{"setWeight": int64(20)}, map[string]any{"pause": map[string]any{"duration": "1s"}}, map[string]any{"setWeight": int64(60)},
		}}}},
		"status": status,
	}}
	f.upsert(ctx, observe.RolloutsGVR, ns, u)
}

func (f *fakeCluster) putRS(ctx context.Context, ns, hash string, available int64) {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "ReplicaSet",
		"metadata": map[string]any{"name": "faultapp-" + hash, "namespace": ns, "labels": map[string]any{observe.PodTemplateHashLabel: hash}},
		"spec":     map[string]any{"replicas": available},
		"status":   map[string]any{"replicas": available, "readyReplicas": available, "availableReplicas": available},
	}}
	f.upsert(ctx, observe.ReplicaSetsGVR, ns, u)
}

func (f *fakeCluster) upsert(ctx context.Context, gvr schema.GroupVersionResource, ns string, u *unstructured.Unstructured) {
	ri := f.dyn.Resource(gvr).Namespace(ns)
	if _, err := ri.Update(ctx, u, metav1.UpdateOptions{}); err != nil {
		_, _ = ri.Create(ctx, u, metav1.CreateOptions{})
	}
}
