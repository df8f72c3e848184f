package observe

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kwatch "k8s.io/apimachinery/pkg/watch"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	clienttesting "k8s.io/client-go/testing"

	"github.com/coalmine/coalmine/results"
)

// The fake dynamic client stands in for the API server: it is the true
// boundary of the Observer (watch plumbing), while Deriver tests cover
// the derivation itself.
//
// Unlike an API server, the fake cannot resume a watch from a list's
// resource version: an object created after an informer's list and before
// its watch is lost. So the fake announces each watch it opens on the
// returned channel, and tests create objects only once every watch is open.
func newFakeClient() (*dynamicfake.FakeDynamicClient, <-chan struct{}) {
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		RolloutsGVR:     "RolloutList",
		AnalysisRunsGVR: "AnalysisRunList",
		ReplicaSetsGVR:  "ReplicaSetList",
		EventsGVR:       "EventList",
	})
	opened := make(chan struct{}, 16)
	dyn.PrependWatchReactor("*", func(a clienttesting.Action) (bool, kwatch.Interface, error) {
		w, err := dyn.Tracker().Watch(a.GetResource(), a.GetNamespace())
		if err == nil {
			opened <- struct{}{}
		}
		return true, w, err
	})
	return dyn, opened
}

// waitWatches waits until the observer's four watches are open.
func waitWatches(ctx context.Context, t *testing.T, opened <-chan struct{}) {
	t.Helper()
	for range 4 {
		select {
		case <-opened:
		case <-ctx.Done():
			t.Fatalf("watches not opened: %v", ctx.Err())
		}
	}
}

func TestObserverWatchesAndWaits(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dyn, opened := newFakeClient()
	obs := New(dyn, Options{Namespace: "ns", Rollout: "faultapp"})
	stop, err := obs.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	waitWatches(ctx, t, opened)

	create := func(gvr schema.GroupVersionResource, u *unstructured.Unstructured) {
		t.Helper()
		if _, err := dyn.Resource(gvr).Namespace("ns").Create(ctx, u, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	update := func(gvr schema.GroupVersionResource, u *unstructured.Unstructured) {
		t.Helper()
		if _, err := dyn.Resource(gvr).Namespace("ns").Update(ctx, u, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	create(ReplicaSetsGVR, replicaSet("faultapp-h1", "h1", 5))
	create(RolloutsGVR, ro{gen: 1, observed: 1, steps: classicSteps(), step: i64(5), hash: "h1", stable: "h1", phase: "Healthy", available: 5, upd: 5}.obj())
	if _, err := obs.Wait(ctx, Snapshot.Healthy); err != nil {
		t.Fatalf("waiting for healthy: %v", err)
	}

	obs.BeginRelease(1)
	obs.Record(results.Event{Kind: results.EventReleased, Release: 1})
	create(ReplicaSetsGVR, replicaSet("faultapp-h2", "h2", 1))
	update(RolloutsGVR, ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(0), hash: "h2", stable: "h1", phase: "Progressing", available: 5, upd: 1}.obj())
	create(AnalysisRunsGVR, analysisRun("faultapp-h2-2", "Failed", "failed", meas{"Failed", "[0.5]", "2025-03-01T12:00:10Z", "2025-03-01T12:00:11Z"}))
	update(RolloutsGVR, ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(2), hash: "h2", stable: "h1", phase: "Degraded", abort: true, available: 5, upd: 1}.obj())
	update(ReplicaSetsGVR, replicaSet("faultapp-h2", "h2", 0))

	// The watches run independently: wait for the AnalysisRun too.
	s, err := obs.Wait(ctx, func(s Snapshot) bool {
		return s.Settled() && len(s.Analyses) == 1 && s.Analyses[0].Phase == AnalysisFailed
	})
	if err != nil {
		t.Fatalf("waiting for settled: %v", err)
	}
	if !s.Aborted || !s.Restored || s.Promoted || s.Release != 1 {
		t.Errorf("settled snapshot: %+v", s)
	}
	kinds := map[results.EventKind]int{}
	for _, e := range obs.Timeline() {
		if e.Release == 1 {
			kinds[e.Kind]++
		}
	}
	want := map[results.EventKind]int{
		results.EventReleased: 1, results.EventAborted: 1, results.EventRestored: 1,
		results.EventAnalysisStart: 1, results.EventMeasurement: 1, results.EventAnalysisEnd: 1,
	}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("release 1 has %d %s events, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
}

func TestObserverWaitHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dyn, _ := newFakeClient()
	obs := New(dyn, Options{Namespace: "ns"})
	stop, err := obs.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	wctx, wcancel := context.WithCancel(ctx)
	wcancel()
	if _, err := obs.Wait(wctx, Snapshot.Healthy); err == nil {
		t.Fatal("Wait on a cancelled context returned no error")
	}
}
