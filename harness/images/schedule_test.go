package images

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a build function that records start order and checks that
// dependencies finished first and that at most jobs run at once.
type recorder struct {
	mu       sync.Mutex
	started  []string
	finished map[string]bool
	running  int
	peak     int
	fail     map[string]bool
	byName   map[string]*Target
	gate     chan struct{} // when set, builds wait on it
	onStart  chan string   // when set, receives each started target
	t        *testing.T
}

func (r *recorder) build(ctx context.Context, tg *Target) error {
	r.mu.Lock()
	for _, d := range tg.Deps {
		if _, ok := r.byName[d]; ok && !r.finished[d] && r.byName[d] != nil {
			r.t.Errorf("%s started before its dependency %s finished", tg.Name, d)
		}
	}
	r.started = append(r.started, tg.Name)
	r.running++
	r.peak = max(r.peak, r.running)
	r.mu.Unlock()
	if r.onStart != nil {
		r.onStart <- tg.Name
	}
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	r.running--
	r.finished[tg.Name] = true
	r.mu.Unlock()
	if r.fail[tg.Name] {
		return errors.New("boom")
	}
	return ctx.Err()
}

func TestSchedule(t *testing.T) {
	ts, _ := planCatalog()
	all := map[string]string{"bins": reasonMissing, "apiserver": reasonMissing, "pause": reasonMissing, "node": reasonMissing, "addon": reasonMissing}
	tests := []struct {
		name       string
		build      map[string]string
		jobs       int
		fail       []string
		wantFailed []string
		wantOrder  []string // exact start order (jobs 1 only)
	}{
		{name: "serial follows declared order and dependencies", build: all, jobs: 1,
			wantOrder: []string{"bins", "apiserver", "pause", "node", "addon"}},
		{name: "parallel", build: all, jobs: 2},
		{name: "only the planned targets", build: map[string]string{"pause": reasonStale, "node": reasonStale}, jobs: 1,
			wantOrder: []string{"pause", "node"}},
		{name: "a failure skips dependents and not the others", build: all, jobs: 1, fail: []string{"apiserver"},
			wantFailed: []string{"apiserver", "node"}, wantOrder: []string{"bins", "apiserver", "pause", "addon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plan{Involved: ts, Build: tt.build}
			byName := map[string]*Target{}
			for _, tg := range ts {
				if _, ok := tt.build[tg.Name]; ok {
					byName[tg.Name] = tg
				}
			}
			r := &recorder{finished: map[string]bool{}, fail: map[string]bool{}, byName: byName, t: t}
			for _, f := range tt.fail {
				r.fail[f] = true
			}
			failed := schedule(context.Background(), p, tt.jobs, r.build)
			var names []string
			for n := range failed {
				names = append(names, n)
			}
			slices.Sort(names)
			want := slices.Clone(tt.wantFailed)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("failed = %v, want %v", failed, want)
			}
			if tt.wantOrder != nil && !slices.Equal(r.started, tt.wantOrder) {
				t.Errorf("start order %v, want %v", r.started, tt.wantOrder)
			}
			if r.peak > tt.jobs {
				t.Errorf("%d ran at once, bound is %d", r.peak, tt.jobs)
			}
			var dep errDepFailed
			if f, ok := failed["node"]; ok && !errors.As(f, &dep) {
				t.Errorf("node: %v, want a dependency failure", f)
			}
		})
	}
}

func TestScheduleRunsIndependentTargetsConcurrently(t *testing.T) {
	ts, _ := planCatalog()
	p := plan{Involved: ts, Build: map[string]string{"pause": reasonMissing, "addon": reasonMissing}}
	r := &recorder{finished: map[string]bool{}, byName: map[string]*Target{}, gate: make(chan struct{}), onStart: make(chan string), t: t}
	done := make(chan map[string]error)
	go func() { done <- schedule(context.Background(), p, 2, r.build) }()
	// Both must start before either may finish: with a bound of 2 and no
	// dependency between them, the scheduler starts them together.
	for range 2 {
		select {
		case <-r.onStart:
		case f := <-done:
			t.Fatalf("schedule returned %v before both started", f)
		}
	}
	close(r.gate)
	if f := <-done; len(f) != 0 {
		t.Fatalf("failed: %v", f)
	}
}

func TestScheduleCancelled(t *testing.T) {
	ts, _ := planCatalog()
	ctx, cancel := context.WithCancel(context.Background())
	p := plan{Involved: ts, Build: map[string]string{"bins": reasonMissing, "apiserver": reasonMissing, "addon": reasonMissing}}
	calls := 0
	failed := schedule(ctx, p, 1, func(ctx context.Context, tg *Target) error {
		calls++
		cancel()
		return ctx.Err()
	})
	if calls != 1 {
		t.Errorf("%d builds started after cancel, want 1", calls)
	}
	for _, n := range []string{"bins", "apiserver", "addon"} {
		if failed[n] == nil {
			t.Errorf("%s: no error after cancel", n)
		}
	}
}

// TestScheduleLightTakesNoSlot checks that a Light target starts while
// the only job slot is busy.
func TestScheduleLightTakesNoSlot(t *testing.T) {
	ts := []*Target{{Name: "bins"}, {Name: "rootfs", Light: true}, {Name: "node", Ref: "r/node:1", Deps: []string{"bins", "rootfs"}}}
	p := plan{Involved: ts, Build: map[string]string{"bins": reasonMissing, "rootfs": reasonMissing, "node": reasonMissing}}
	r := &recorder{finished: map[string]bool{}, byName: map[string]*Target{}, gate: make(chan struct{}), onStart: make(chan string), t: t}
	done := make(chan map[string]error)
	go func() { done <- schedule(context.Background(), p, 1, r.build) }()
	for range 2 { // bins and rootfs both start with one job slot
		select {
		case <-r.onStart:
		case f := <-done:
			t.Fatalf("schedule returned %v before bins and rootfs started", f)
		}
	}
	go func() {
		for range r.onStart { // node
		}
	}()
	close(r.gate)
	if f := <-done; len(f) != 0 {
		t.Fatalf("failed: %v", f)
	}
	close(r.onStart) // ends the drain above: nothing starts any more
	if len(r.started) != 3 || r.started[2] != "node" {
		t.Errorf("start order %v, want bins and rootfs (either order), then node", r.started)
	}
}

// TestScheduleWaitsForLightTargets: when the last job-slot target is
// done while a Light one still builds, schedule waits for it.
func TestScheduleWaitsForLightTargets(t *testing.T) {
	ts := []*Target{{Name: "rootfs", Light: true}, {Name: "bins"}}
	p := plan{Involved: ts, Build: map[string]string{"rootfs": reasonMissing, "bins": reasonMissing}}
	gate, binsDone := make(chan struct{}), make(chan struct{})
	var rootfsDone bool
	build := func(ctx context.Context, tg *Target) error {
		if tg.Light {
			<-gate
			rootfsDone = true
			return nil
		}
		close(binsDone)
		return nil
	}
	done := make(chan map[string]error)
	go func() { done <- schedule(context.Background(), p, 1, build) }()
	<-binsDone
	select {
	case f := <-done:
		t.Fatalf("schedule returned %v while the Light target was building", f)
	case <-time.After(100 * time.Millisecond):
	}
	close(gate)
	if f := <-done; len(f) != 0 || !rootfsDone {
		t.Fatalf("failed %v, rootfs done %v", f, rootfsDone)
	}
}
