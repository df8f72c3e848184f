package observe

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"

	"github.com/coalmine/coalmine/results"
)

// Options configure an Observer.
type Options struct {
	// Namespace to watch (required).
	Namespace string
	// Rollout is the name of the Rollout to follow ("" = any).
	Rollout string
	// Now is the clock events are stamped with (default time.Now).
	Now func() time.Time
	// Logger receives debug lines for every derived event (default: quiet).
	Logger *slog.Logger
}

// Observer watches one namespace and keeps the derived timeline. Create it
// with New, call Start, then read Timeline/Snapshot or Wait for a condition.
type Observer struct {
	dyn  dynamic.Interface
	opts Options

	mu       sync.Mutex
	d        *Deriver
	timeline []results.Event
	changed  chan struct{}
}

// New returns an Observer of opts.Namespace through dyn.
func New(dyn dynamic.Interface, opts Options) *Observer {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Observer{dyn: dyn, opts: opts, d: NewDeriver(opts.Rollout), changed: make(chan struct{})}
}

// Start begins watching and returns once every watch has listed its
// objects. The watches stop when ctx is done; the returned stop function
// also stops them and waits for their goroutines to end.
func (o *Observer) Start(ctx context.Context) (stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var synced []cache.InformerSynced
	for _, w := range o.watches() {
		inf := dynamicinformer.NewFilteredDynamicInformer(o.dyn, w.gvr, o.opts.Namespace, 0, cache.Indexers{}, nil).Informer()
		if _, err := inf.AddEventHandler(w.handler); err != nil {
			cancel()
			return nil, fmt.Errorf("watch %s: %w", w.gvr.Resource, err)
		}
		synced = append(synced, inf.HasSynced)
		wg.Add(1)
		go func() { defer wg.Done(); inf.RunWithContext(ctx) }()
	}
	stop = func() { cancel(); wg.Wait() }
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		stop()
		return nil, fmt.Errorf("watch namespace %s: caches not synced: %w", o.opts.Namespace, context.Cause(ctx))
	}
	return stop, nil
}

type watch struct {
	gvr     schema.GroupVersionResource
	handler cache.ResourceEventHandler
}

func (o *Observer) watches() []watch {
	return []watch{
		{RolloutsGVR, o.handler(o.d.Rollout, nil)},
		{AnalysisRunsGVR, o.handler(o.d.AnalysisRun, nil)},
		{ReplicaSetsGVR, o.handler(o.d.ReplicaSet, o.d.ReplicaSetDeleted)},
		{EventsGVR, o.handler(o.d.Event, nil)},
	}
}

type deriveFunc func(time.Time, *unstructured.Unstructured) []results.Event

func (o *Observer) handler(upsert deriveFunc, deleted func(time.Time, string) []results.Event) cache.ResourceEventHandler {
	apply := func(obj any) {
		if u, ok := obj.(*unstructured.Unstructured); ok {
			o.apply(func(now time.Time) []results.Event { return upsert(now, u) })
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { apply(obj) },
		UpdateFunc: func(_, obj any) { apply(obj) },
		DeleteFunc: func(obj any) {
			if deleted == nil {
				return
			}
			if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = tomb.Obj
			}
			if u, ok := obj.(*unstructured.Unstructured); ok {
				o.apply(func(now time.Time) []results.Event { return deleted(now, u.GetName()) })
			}
		},
	}
}

// apply runs one derivation under the lock and wakes waiters.
func (o *Observer) apply(derive func(now time.Time) []results.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	evs := derive(o.opts.Now())
	for _, e := range evs {
		o.opts.Logger.Debug("observed", "namespace", o.opts.Namespace, "kind", e.Kind, "release", e.Release,
			"step", e.Step, "weight", e.Weight, "metric", e.Metric, "phase", e.Phase, "value", e.Value, "message", e.Message)
	}
	o.timeline = append(o.timeline, evs...)
	close(o.changed)
	o.changed = make(chan struct{})
}

// BeginRelease attributes the following events to release i (see
// Deriver.BeginRelease).
func (o *Observer) BeginRelease(i int) {
	o.apply(func(time.Time) []results.Event { o.d.BeginRelease(i); return nil })
}

// Record adds an event that the harness itself produced (released, fault
// onset, traffic start/stop, timeout), stamped now if e.Time is zero.
func (o *Observer) Record(e results.Event) {
	o.apply(func(now time.Time) []results.Event {
		if e.Time.IsZero() {
			e.Time = now
		}
		return []results.Event{e}
	})
}

// Timeline returns a copy of every event so far, ordered by time (events
// at the same instant keep the order they were derived in), aborted events
// carrying the controller's fullest message (see enrichAborts).
func (o *Observer) Timeline() []results.Event {
	o.mu.Lock()
	out := append([]results.Event(nil), o.timeline...)
	o.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	enrichAborts(out)
	return out
}

// Snapshot returns the current view.
func (o *Observer) Snapshot() Snapshot {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.d.Snapshot()
}

// Wait blocks until cond holds for the current view and returns that view.
// It wakes on every watched change, never polls, and returns ctx's cause
// when ctx ends first.
func (o *Observer) Wait(ctx context.Context, cond func(Snapshot) bool) (Snapshot, error) {
	for {
		o.mu.Lock()
		s, ch := o.d.Snapshot(), o.changed
		o.mu.Unlock()
		if cond(s) {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s, context.Cause(ctx)
		}
	}
}
