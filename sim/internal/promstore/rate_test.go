package promstore

import (
	"testing"
	"time"
)

const countQ = `http_request_duration_seconds_count{pod="a"}`

// counterPod is a pod scraped at phase 2 s whose only series counts 100
// requests before its first scrape and 10 more before each later one: its
// value at the scrape at 2 s + 5 s·k is 100 + 10k.
func counterPod(s *Store) pod {
	id := s.AddTarget(Target{Namespace: "ns", Pod: "a", Hash: "h1", Instance: "10.0.0.1:8080", Version: "v1"})
	first := true
	return pod{id: id, phase: 2 * time.Second, load: func(s *Store, id TargetID) {
		n := uint64(10)
		if first {
			n, first = 100, false
		}
		s.Observe(id, "GET", "/api/catalog", 200, n, inBucket(n, 0), 0)
	}}
}

func TestRateExtrapolation(t *testing.T) {
	s := New(interval)
	simulate(s, []pod{counterPod(s)}, 0, 11*time.Minute)
	// Window (540 s, 600 s]: samples at 542 … 597 s (12), delta 110;
	// 2 s to the start and 3 s to the end are under 1.1 × the 5 s spacing,
	// so both are extrapolated: 110 × (55+2+3)/55 = 120.
	wantNear(t, "increase[1m] at 600 s", one(t, s, "increase("+countQ+"[1m])", at(600*time.Second)), 120)
	wantNear(t, "rate[1m] at 600 s", one(t, s, "rate("+countQ+"[1m])", at(600*time.Second)), 2)
	// Scraping stops after 657 s. Window (605 s, 665 s]: samples at 607 …
	// 657 s (11), delta 100; the newest sample is 8 s old (≥ 5.5 s), so
	// only half a spacing (2.5 s) is added at the end: 100 × (50+2+2.5)/50.
	wantNear(t, "increase[1m] at 665 s", one(t, s, "increase("+countQ+"[1m])", at(665*time.Second)), 109)
	wantNear(t, "rate[1m] at 665 s", one(t, s, "rate("+countQ+"[1m])", at(665*time.Second)), 109.0/60)
	// Window (-58 s, 62 s] holds the series' start: samples at 2 … 62 s
	// (13), values 100 … 220, delta 120. The start is 60 s away (≥ 5.5 s,
	// so half a spacing, 2.5 s) and the zero point 60 × 100/120 = 50 s
	// away: 120 × (60+2.5+0)/60 = 125.
	wantNear(t, "increase[2m] at 62 s", one(t, s, "increase("+countQ+"[2m])", at(62*time.Second)), 125)
	// A single sample in the window gives no rate.
	if v := vec(t, s, "rate("+countQ+"[4s])", at(604*time.Second)); len(v) != 0 {
		t.Errorf("rate over one sample = %v, want no sample", v)
	}
}

func TestLazySeriesFirstIncrementInvisible(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Namespace: "ns", Pod: "a", Hash: "h1", Instance: "10.0.0.1:8080", Version: "v1"})
	pods := []pod{{id: id}}
	if v := vec(t, s, countQ, at(0)); len(v) != 0 {
		t.Fatalf("series before any request: %v", v)
	}
	s.Scrape(id, at(-5*time.Second)) // a scrape before any request shows no child
	if v := vec(t, s, countQ, at(0)); len(v) != 0 {
		t.Fatalf("series before any request: %v", v)
	}
	s.Observe(id, "GET", "/api/catalog", 200, 1, inBucket(1, 0), 0.0005)
	simulate(s, pods, 0, 63*time.Second)
	if got := one(t, s, countQ, at(62*time.Second)); got != 1 {
		t.Fatalf("first scraped value = %g, want 1", got)
	}
	// One request really happened in the window, but the series was born
	// with it: every sample is 1 and increase() sees none.
	if got := one(t, s, "increase("+countQ+"[2m])", at(62*time.Second)); got != 0 {
		t.Errorf("increase[2m] in the first window = %g, want 0", got)
	}
	// A second request at 63 s: samples at 5 … 120 s (24) with delta 1,
	// 5 s to the start (extrapolated), none to the end: 120/115.
	s.Observe(id, "GET", "/api/catalog", 200, 1, inBucket(1, 0), 0.0005)
	simulate(s, pods, 65*time.Second, 121*time.Second)
	wantNear(t, "increase[2m] a minute later", one(t, s, "increase("+countQ+"[2m])", at(120*time.Second)), 120.0/115)
}

func TestRestartCounterReset(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Namespace: "ns", Pod: "a", Hash: "h1", Instance: "10.0.0.1:8080", Version: "v1"})
	load := steady("/api/catalog", map[int]uint64{200: 10})
	pods := []pod{{id: id, load: load}}
	simulate(s, pods, 0, 301*time.Second) // value 610 at 300 s
	s.Injected(id, "error", 3)
	s.Restart(id)
	s.ScrapeFailed(id, at(305*time.Second))
	s.ScrapeFailed(id, at(310*time.Second))
	if got := one(t, s, `up{pod="a"}`, at(312*time.Second)); got != 0 {
		t.Errorf("up while the container is down = %g, want 0", got)
	}
	if v := vec(t, s, countQ, at(312*time.Second)); len(v) != 0 {
		t.Errorf("series while the container is down: %v, want none (stale)", v)
	}
	simulate(s, pods, 315*time.Second, 361*time.Second) // 10 at 315 s … 100 at 360 s
	if got := one(t, s, `faultapp_faults_injected_total{pod="a",kind="error"}`, at(360*time.Second)); got != 0 {
		t.Errorf("injected errors after the restart = %g, want 0", got)
	}
	// Window (240 s, 360 s]: 500 … 610 at 245 … 300 s, stale markers at
	// 305 and 310 s (not samples of a range), 10 … 100 at 315 … 360 s.
	// Increase 110 + 10 + 90 = 210 over 115 s of samples (21 gaps), 5 s to
	// the start (extrapolated), 0 to the end: 210 × 120/115.
	want := 210.0 * 120 / 115
	wantNear(t, "increase[2m] across the restart", one(t, s, "increase("+countQ+"[2m])", at(360*time.Second)), want)
	wantNear(t, "rate[2m] across the restart", one(t, s, "rate("+countQ+"[2m])", at(360*time.Second)), want/120)
	wantNear(t, "resets[2m]", one(t, s, "resets("+countQ+"[2m])", at(360*time.Second)), 1)
}

func TestRestartStaleMarksChildrenNotSeenAgain(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Namespace: "ns", Pod: "a", Instance: "10.0.0.1:8080", Version: "v1"})
	simulate(s, []pod{{id: id, load: steady("/api/cart", map[int]uint64{200: 1})}}, 0, 31*time.Second)
	s.Restart(id)
	// A quick restart between two scrapes: the next scrape succeeds but
	// no longer finds the child, as client_golang forgets it.
	s.Scrape(id, at(35*time.Second))
	if v := vec(t, s, `http_request_duration_seconds_bucket{pod="a"}`, at(36*time.Second)); len(v) != 0 {
		t.Errorf("buckets after a restart without requests: %v, want none (stale)", v)
	}
	if got := one(t, s, `up{pod="a"}`, at(36*time.Second)); got != 1 {
		t.Errorf("up = %g, want 1", got)
	}
	if got := one(t, s, `count(faultapp_faults_injected_total{pod="a"} == 0)`, at(36*time.Second)); got != 5 {
		t.Errorf("%g pre-created injected counters at 0, want 5", got)
	}
}
