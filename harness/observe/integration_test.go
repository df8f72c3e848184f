//go:build integration

package observe_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/harness/observe"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// TestObserverOnCluster runs a Rollout through a promotion and an abort on
// a real cluster with the Argo Rollouts controller (the coalmine kind
// cluster: `coalmine cluster up`; context from COALMINE_KUBE_CONTEXT,
// default kind-coalmine) and checks what the observer derives.
//
//	go test -tags integration -run TestObserverOnCluster ./harness/observe/
func TestObserverOnCluster(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := clients(t)
	spec := deploy.Spec{
		RunID: "itest", StrategyName: "observe-itest", Namespace: "coalmine-observe-itest",
		Strategy: &scenarios.ScaledStrategy{Name: "observe-itest", ProgressDeadlineSeconds: 120, Spec: v1alpha1.RolloutStrategy{
			Canary: &v1alpha1.CanaryStrategy{Steps: []v1alpha1.CanaryStep{
				{SetWeight: ptr.To[int32](40)}, {Pause: &v1alpha1.RolloutPause{Duration: ptr.To(intstr.FromString("2s"))}},
				{SetWeight: ptr.To[int32](80)}, {Pause: &v1alpha1.RolloutPause{}},
			}},
		}},
		App:   scenarios.App{Replicas: 5},
		Image: "coalmine/faultapp:dev", PullPolicy: "IfNotPresent", NodePort: 30087, Seed: 1,
		Pod: deploy.PodVersion{Version: "v1", Faults: "{}"},
	}
	objs, err := deploy.Objects(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteNamespace(t, c, spec.Namespace) })
	obs := observe.New(c.Dynamic, observe.Options{Namespace: spec.Namespace, Rollout: deploy.AppName})
	stop, err := obs.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := c.Apply(ctx, objs...); err != nil {
		t.Fatal(err)
	}
	if _, err := obs.Wait(ctx, observe.Snapshot.Healthy); err != nil {
		t.Fatalf("v1 not healthy: %v", err)
	}

	// Release 1 stops at the indefinite pause (step 3): promote it by
	// hand, as `kubectl argo rollouts promote` does.
	release(t, ctx, c, obs, spec, 1, "v2")
	if _, err := obs.Wait(ctx, pausedAt(3)); err != nil {
		t.Fatalf("v2 never paused at the indefinite pause: %v", err)
	}
	patchStatus(t, ctx, c, spec.Namespace, `{"status":{"pauseConditions":null}}`)
	if s, err := obs.Wait(ctx, observe.Snapshot.Settled); err != nil || !s.Promoted {
		t.Fatalf("v2 not promoted: %v (%+v)", err, s)
	}

	// Release 2 is aborted by hand at its first pause, as `kubectl argo
	// rollouts abort` does; the stable version must then be restored.
	release(t, ctx, c, obs, spec, 2, "v3")
	if _, err := obs.Wait(ctx, atStep(1)); err != nil {
		t.Fatalf("v3 never reached step 1: %v", err)
	}
	patchStatus(t, ctx, c, spec.Namespace, `{"status":{"abort":true}}`)
	if s, err := obs.Wait(ctx, observe.Snapshot.Settled); err != nil || !s.Aborted || !s.Restored {
		t.Fatalf("v3 not aborted and restored: %v (%+v)", err, s)
	}

	got := map[int]map[results.EventKind]int{}
	weights := map[int][]int{}
	for _, e := range obs.Timeline() {
		if got[e.Release] == nil {
			got[e.Release] = map[results.EventKind]int{}
		}
		got[e.Release][e.Kind]++
		if e.Kind == results.EventWeight {
			weights[e.Release] = append(weights[e.Release], *e.Weight)
		}
	}
	t.Logf("events by release: %v; weights: %v", got, weights)
	for rel, kinds := range map[int][]results.EventKind{
		0: {results.EventPromoted, results.EventWeight},
		1: {results.EventStep, results.EventWeight, results.EventPaused, results.EventPromoted},
		2: {results.EventStep, results.EventWeight, results.EventAborted, results.EventRestored},
	} {
		for _, k := range kinds {
			if got[rel][k] == 0 {
				t.Errorf("release %d: no %s event", rel, k)
			}
		}
	}
	if w := weights[1]; len(w) < 3 || w[0] != 40 || w[len(w)-1] != 100 {
		t.Errorf("release 1 weights %v, want 40 … 100", w)
	}
	if w := weights[2]; len(w) < 2 || w[len(w)-1] != 0 {
		t.Errorf("release 2 weights %v, want … 0 after the abort", w)
	}
}

func atStep(i int) func(observe.Snapshot) bool {
	return func(s observe.Snapshot) bool {
		return s.Rollout != nil && s.Rollout.CaughtUp && s.Rollout.CurrentStepIndex != nil && *s.Rollout.CurrentStepIndex >= i
	}
}

// pausedAt: at step i with the controller's pause condition set (clearing
// it before it is set would not promote).
func pausedAt(i int) func(observe.Snapshot) bool {
	return func(s observe.Snapshot) bool { return atStep(i)(s) && len(s.Rollout.PauseReasons) > 0 }
}

func release(t *testing.T, ctx context.Context, c *addons.Clients, obs *observe.Observer, spec deploy.Spec, k int, version string) {
	t.Helper()
	spec.Pod = deploy.PodVersion{Version: version, Faults: "{}"}
	ro, err := deploy.Rollout(spec)
	if err != nil {
		t.Fatal(err)
	}
	obs.BeginRelease(k)
	if err := c.Apply(ctx, ro); err != nil {
		t.Fatal(err)
	}
}

func patchStatus(t *testing.T, ctx context.Context, c *addons.Clients, ns, patch string) {
	t.Helper()
	_, err := c.Dynamic.Resource(observe.RolloutsGVR).Namespace(ns).
		Patch(ctx, deploy.AppName, types.MergePatchType, []byte(patch), metav1.PatchOptions{}, "status")
	if err != nil {
		t.Fatal(err)
	}
}

func clients(t *testing.T) *addons.Clients {
	t.Helper()
	kctx := os.Getenv("COALMINE_KUBE_CONTEXT")
	if kctx == "" {
		kctx = "kind-coalmine"
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		clientcmd.NewDefaultClientConfigLoadingRules(), &clientcmd.ConfigOverrides{CurrentContext: kctx}).ClientConfig()
	if err != nil {
		t.Skipf("no cluster (context %s): %v", kctx, err)
	}
	c, err := addons.NewClients(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func deleteNamespace(t *testing.T, c *addons.Clients, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	gvr := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	if err := c.Dynamic.Resource(gvr).Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		t.Logf("delete namespace %s: %v", ns, err)
	}
}
