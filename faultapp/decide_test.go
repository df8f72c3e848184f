package faultapp

import (
	"fmt"
	"testing"
	"time"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/internal/stattest"
)

func mustFaults(t testing.TB, src string) *faults.Faults {
	t.Helper()
	f, err := faults.Decode([]byte(src))
	if err != nil {
		t.Fatalf("faults.Decode(%q): %v", src, err)
	}
	return f
}

func routeIdx(t testing.TB, route string) int {
	t.Helper()
	id, ok := routeID(route)
	if !ok {
		t.Fatalf("unknown route %s", route)
	}
	return id
}

func TestErrorRate(t *testing.T) {
	const n = 20000
	tests := []struct {
		name   string
		faults string
		route  string
		want   float64
	}{
		{"no faults", `{}`, RouteCatalog, 0},
		{"rate 0", `errors: {rate: 0}`, RouteCatalog, 0},
		{"rate 1%", `errors: {rate: 0.01}`, RouteCatalog, 0.01},
		{"rate 30%", `errors: {rate: 0.3}`, RouteSearch, 0.3},
		{"rate 1", `errors: {rate: 1}`, RouteCart, 1},
		{"path matches", `errors: {rate: 0.5, paths: [/api/checkout]}`, RouteCheckout, 0.5},
		{"path excluded", `errors: {rate: 0.5, paths: [/api/checkout]}`, RouteCatalog, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecider(newFakeClock(), 42, mustFaults(t, tt.faults))
			id, hits := routeIdx(t, tt.route), 0
			for range n {
				if dec := d.decide(id, "u1"); dec.Status != 0 {
					hits++
					if dec.Status != faults.DefaultErrorStatus {
						t.Fatalf("status %d, want %d", dec.Status, faults.DefaultErrorStatus)
					}
				}
			}
			stattest.Share(t, "error share", hits, n, tt.want)
		})
	}
}

func TestErrorStatus(t *testing.T) {
	d := newDecider(newFakeClock(), 1, mustFaults(t, `errors: {rate: 1, status: 503}`))
	if got := d.decide(0, "").Status; got != 503 {
		t.Fatalf("status %d, want 503", got)
	}
}

func TestCohortStability(t *testing.T) {
	const users, share = 20000, 0.2
	in := 0
	for i := range users {
		u := fmt.Sprintf("user-%d", i)
		got := faults.InCohort(u, share)
		if got != faults.InCohort(u, share) {
			t.Fatalf("%s: membership changed between calls", u)
		}
		if got && !faults.InCohort(u, share*2) {
			t.Fatalf("%s: in the %g cohort but not in the %g one", u, share, share*2)
		}
		if got {
			in++
		}
	}
	stattest.Share(t, "cohort share", in, users, share)
	if faults.InCohort("", 1) {
		t.Error("empty user is in a cohort")
	}
}

func TestCohortErrors(t *testing.T) {
	d := newDecider(newFakeClock(), 7, mustFaults(t, `errors: {rate: 1, cohort: 0.1}`))
	const users = 5000
	failing := 0
	for i := range users {
		u := fmt.Sprintf("u%d", i)
		want := faults.InCohort(u, 0.1)
		for range 3 { // the same user always gets the same answer
			if got := d.decide(0, u).Status != 0; got != want {
				t.Fatalf("user %s: failed=%v, in cohort=%v", u, got, want)
			}
		}
		if want {
			failing++
		}
	}
	stattest.Share(t, "users failing", failing, users, 0.1)
	if d.decide(0, "").Status != 0 {
		t.Error("request without a user failed although only a cohort should")
	}
}

func TestMinRPS(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration // between requests
		want     bool          // errors once a full window has passed
	}{
		{"peak 100 rps above 50", 10 * time.Millisecond, true},
		{"trough 20 rps below 50", 50 * time.Millisecond, false},
		{"60 rps above 50", time.Second / 60, true},
		{"40 rps below 50", 25 * time.Millisecond, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			d := newDecider(clock, 3, mustFaults(t, `errors: {rate: 1, minRPS: 50}`))
			start := clock.Now()
			for clock.Now().Sub(start) < faults.MeterWindow+2*time.Second {
				failed := d.decide(0, "u").Status != 0
				if warm := clock.Now().Sub(start) >= faults.MeterWindow+600*time.Millisecond; warm && failed != tt.want {
					t.Fatalf("at %v: failed=%v, want %v (rate %.1f)", clock.Now().Sub(start), failed, tt.want, d.meter.Rate(clock.Now()))
				}
				clock.Advance(tt.interval)
			}
		})
	}
}

func TestMinRPSTurnsOffWhenTrafficDrops(t *testing.T) {
	clock := newFakeClock()
	d := newDecider(clock, 3, mustFaults(t, `errors: {rate: 1, minRPS: 50}`))
	drive := func(interval, dur time.Duration) (last bool) {
		for end := clock.Now().Add(dur); clock.Now().Before(end); clock.Advance(interval) {
			last = d.decide(0, "u").Status != 0
		}
		return last
	}
	window := faults.MeterWindow + time.Second
	if !drive(5*time.Millisecond, window) {
		t.Fatal("no errors at 200 rps")
	}
	if drive(100*time.Millisecond, window) {
		t.Fatal("errors still on at 10 rps")
	}
	if !drive(5*time.Millisecond, window) {
		t.Fatal("errors did not come back at 200 rps")
	}
}

func TestOnsetAfter(t *testing.T) {
	for _, kind := range []string{"errors: {rate: 1, after: 30s}", "latency: {distribution: fixed, mean: 5ms, after: 30s}"} {
		t.Run(kind, func(t *testing.T) {
			clock := newFakeClock()
			d := newDecider(clock, 1, mustFaults(t, kind))
			hit := func() bool { dec := d.decide(0, "u"); return dec.Status != 0 || dec.Delay != 0 }
			clock.Advance(29*time.Second + 999*time.Millisecond)
			if hit() {
				t.Fatal("fault active before its onset")
			}
			clock.Advance(time.Millisecond)
			if !hit() {
				t.Fatal("fault inactive at its onset")
			}
		})
	}
}

func TestLatencyShare(t *testing.T) {
	const n = 20000
	d := newDecider(newFakeClock(), 5, mustFaults(t, `latency: {distribution: fixed, mean: 10ms, share: 0.25, paths: [/api/search]}`))
	hits := 0
	for range n {
		switch dec := d.decide(routeIdx(t, RouteSearch), "u"); dec.Delay {
		case 0:
		case 10 * time.Millisecond:
			hits++
		default:
			t.Fatalf("delay %v, want 10ms", dec.Delay)
		}
		if d.decide(routeIdx(t, RouteCart), "u").Delay != 0 {
			t.Fatal("delay on a route outside paths")
		}
	}
	stattest.Share(t, "delayed share", hits, n, 0.25)
}

func TestCrashAfterRequests(t *testing.T) {
	d := newDecider(newFakeClock(), 1, mustFaults(t, `crash: {requests: 5, exitCode: 3}`))
	for i := 1; i <= 6; i++ {
		got := d.decide(0, "u").ExitCode
		want := 0
		if i >= 5 {
			want = 3
		}
		if got != want {
			t.Fatalf("request %d: exit code %d, want %d", i, got, want)
		}
	}
}

func TestReadinessFlips(t *testing.T) {
	clock := newFakeClock()
	d := newDecider(clock, 1, mustFaults(t, `readiness: {after: 90s}`))
	if !d.ready() {
		t.Fatal("not ready before the onset")
	}
	clock.Advance(90 * time.Second)
	if d.ready() {
		t.Fatal("still ready after the onset")
	}
	d.setFaults(&faults.Faults{})
	if !d.ready() {
		t.Fatal("not ready after the fault was cleared")
	}
}

func TestCPUAndLeakDecisions(t *testing.T) {
	d := newDecider(newFakeClock(), 1, mustFaults(t, "cpu: {perRequest: 2ms}\nleak: {bytesPerRequest: 4096}"))
	dec := d.decide(0, "u")
	if dec.Burn != 2*time.Millisecond || dec.Leak != 4096 {
		t.Fatalf("decision %+v, want burn 2ms and leak 4096", dec)
	}
}

func TestDecisionsAreSeeded(t *testing.T) {
	run := func(seed uint64) []int {
		d := newDecider(newFakeClock(), seed, mustFaults(t, `errors: {rate: 0.5}`))
		out := make([]int, 64)
		for i := range out {
			out[i] = d.decide(0, "u").Status
		}
		return out
	}
	if fmt.Sprint(run(9)) != fmt.Sprint(run(9)) {
		t.Error("same seed, different decisions")
	}
	if fmt.Sprint(run(9)) == fmt.Sprint(run(10)) {
		t.Error("different seeds, same decisions")
	}
}
