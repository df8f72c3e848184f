package promstore

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql"
)

func TestRemoveWritesStaleMarkers(t *testing.T) {
	s := New(interval)
	gone := s.AddTarget(Target{Namespace: "ns", Pod: "gone", Instance: "10.0.0.1:8080", Version: "v1"})
	kept := s.AddTarget(Target{Namespace: "ns", Pod: "kept", Instance: "10.0.0.2:8080", Version: "v1"})
	load := steady("/api/catalog", map[int]uint64{200: 3})
	pods := []pod{{id: gone, load: load}, {id: kept, phase: 2 * time.Second, load: load}}
	simulate(s, pods, 0, 101*time.Second) // gone's last scrape: 100 s
	s.Remove(gone, at(101*time.Second))
	simulate(s, pods[1:], 101*time.Second, 10*time.Minute)
	const q = `http_request_duration_seconds_count{pod="gone"}`
	// The marker is timestamped 105 s (the next scrape time) and written
	// at 105 + 5 + 0.5 s: until then the last sample answers.
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{104 * time.Second, 1}, {107 * time.Second, 1}, {110 * time.Second, 1}, {111 * time.Second, 0}, {5 * time.Minute, 0}} {
		if got := len(vec(t, s, q, at(c.at))); got != c.want {
			t.Errorf("%s at %s: %d series, want %d", q, c.at, got, c.want)
		}
		if got := len(vec(t, s, `up{pod="gone"}`, at(c.at))); got != c.want {
			t.Errorf("up at %s: %d series, want %d", c.at, got, c.want)
		}
	}
	// Without the marker the last sample would answer for the 5 min
	// lookback delta, as kept's series do after its last scrape.
	if got := len(vec(t, s, `up{pod="kept"}`, at(10*time.Minute+4*time.Minute))); got != 1 {
		t.Errorf("kept's up 4 min after its last scrape: %d series, want 1", got)
	}
	// Range vectors keep the samples and drop the marker: (51 s, 111 s]
	// holds the scrapes at 55 … 100 s.
	if got := one(t, s, `count_over_time(up{pod="gone"}[1m])`, at(111*time.Second)); got != 10 {
		t.Errorf("count_over_time(up[1m]) = %g, want 10", got)
	}
	// The pod no longer takes samples.
	s.Observe(gone, "GET", "/api/catalog", 200, 1, inBucket(1, 0), 0)
	s.Scrape(gone, at(11*time.Minute))
	if v := vec(t, s, q, at(11*time.Minute)); len(v) != 0 {
		t.Errorf("removed pod scraped: %v", v)
	}
}

func TestRemoveOnScrapeTime(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Pod: "a", Instance: "10.0.0.1:8080"})
	simulate(s, []pod{{id: id, phase: 3 * time.Second}}, 0, 31*time.Second) // last scrape 28 s
	s.Remove(id, at(33*time.Second))                                        // a scrape time: the next one is 38 s
	if got := len(vec(t, s, "up", at(38*time.Second+5500*time.Millisecond-time.Millisecond))); got != 1 {
		t.Errorf("up before the marker is written: %d series, want 1", got)
	}
	if got := len(vec(t, s, "up", at(38*time.Second+5500*time.Millisecond))); got != 0 {
		t.Errorf("up after the marker is written: %d series, want 0", got)
	}
	v, err := s.Query(context.Background(), "up[1h]", at(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(promql.Matrix)
	if len(m) != 1 || len(m[0].Floats) != 6 {
		t.Fatalf("up[1h] = %v, want the 6 scrapes", m)
	}
}

func TestTrimKeepsLaterWindows(t *testing.T) {
	s := twoHashes(t)
	gone := s.AddTarget(Target{Namespace: "shop", Pod: "short-lived", Hash: "canary1", Instance: "10.0.0.9:8080", Version: "v2"})
	simulate(s, []pod{{id: gone, load: steady("/api/cart", map[int]uint64{200: 5})}}, 12*time.Minute, 13*time.Minute)
	s.Remove(gone, at(13*time.Minute))
	qs := libraryQueries(t, "classic-steps.yaml", libArgs)
	queries := []string{
		qs["success-rate"],
		`sum by (pod) (rate(http_request_duration_seconds_count[2m]))`,
		`increase(http_request_duration_seconds_bucket{le="0.05"}[5m])`,
		`up`,
		`count(http_request_duration_seconds_sum)`,
	}
	when := 13*time.Minute + 30*time.Second
	before := make([]string, len(queries))
	for i, q := range queries {
		before[i] = vec(t, s, q, at(when)).String()
	}
	// The longest range is 5 m, as is the lookback of the instant
	// selectors; both are left-open, so samples at when-5m can go.
	s.Trim(at(when - 5*time.Minute))
	for i, q := range queries {
		if got := vec(t, s, q, at(when)).String(); got != before[i] {
			t.Errorf("%s after Trim:\n%s\nwant\n%s", q, got, before[i])
		}
	}
	if got := countSamples(s, math.MinInt64, at(when-5*time.Minute).UnixMilli()); got != 0 {
		t.Errorf("%d samples older than the trim point remain", got)
	}
	// The oldest samples kept matter: trimming 5 s more changes increase[5m].
	s.Trim(at(when - 5*time.Minute + interval))
	if got := vec(t, s, queries[2], at(when)).String(); got == before[2] {
		t.Errorf("%s unchanged after trimming inside its window", queries[2])
	}
	// Trimming everything forgets the removed pod and empties queries.
	s.Trim(at(time.Hour))
	if v := vec(t, s, `up`, at(when)); len(v) != 0 {
		t.Errorf("up after trimming everything: %v", v)
	}
	if n := len(s.live); n != 3 {
		t.Errorf("%d targets kept, want 3 (the removed one forgotten)", n)
	}
	simulate(s, []pod{{id: 0}}, time.Hour, time.Hour+time.Second)
	if v := vec(t, s, `up`, at(time.Hour)); len(v) != 1 {
		t.Errorf("up after a scrape following the trim: %v, want 1 series", v)
	}
}

// countSamples counts the stored samples in [from, to).
func countSamples(s *Store, from, to int64) int {
	n := 0
	for _, list := range s.byName {
		for _, sr := range list {
			for _, smp := range sr.samples() {
				if smp.t >= from && smp.t < to {
					n++
				}
			}
		}
	}
	return n
}

func TestQueryErrors(t *testing.T) {
	s := New(interval)
	for _, c := range []struct{ q, want string }{
		{`sum(rate(up[2m])`, "unclosed left parenthesis"},
		{`rate(up)`, "expected type range vector"},
		{`up{job=~"("}`, "missing closing )"},
		{`no_such_function(up)`, "unknown function"},
	} {
		_, err := s.Query(context.Background(), c.q, at(0))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "invalid query") {
			t.Errorf("%s: error %v, want one saying %q", c.q, err, c.want)
		}
	}
}

func TestSeriesLabels(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Namespace: "ns", Pod: "p", Hash: "abc", Instance: "10.0.0.1:8080", Version: "v9"})
	s.Observe(id, "POST", "/api/cart", 201, 1, inBucket(1, bucketOf(t, 1)), 0.7)
	s.Scrape(id, at(0))
	want := map[string]string{
		`http_request_duration_seconds_bucket{instance="10.0.0.1:8080", job="faultapp", le="1.0", method="POST", namespace="ns", path="/api/cart", pod="p", rollouts_pod_template_hash="abc", status_code="201", version="v9"}`: "1",
		`http_request_duration_seconds_bucket{le="0.5"}`:  "0",
		`http_request_duration_seconds_bucket{le="+Inf"}`: "1",
		`http_request_duration_seconds_bucket{le="10.0"}`: "1",
		`http_request_duration_seconds_sum`:               "0.7",
		`faultapp_info{version="v9"}`:                     "1",
		`faultapp_ready{pod="p"}`:                         "1",
		`up{instance="10.0.0.1:8080", job="faultapp", namespace="ns", pod="p", rollouts_pod_template_hash="abc"}`: "1",
	}
	for q, v := range want {
		got := vec(t, s, q, at(time.Second))
		if len(got) != 1 || got[0].F != mustFloat(t, v) {
			t.Errorf("%s = %v, want one sample of %s", q, got, v)
		}
	}
	if got := one(t, s, `count({__name__=~".+", pod="p"})`, at(time.Second)); got != 14+2+5+3 {
		t.Errorf("%g series, want 24 (14 buckets, _count, _sum, 5 injected, info, ready, up)", got)
	}
	s.SetReady(id, false)
	s.Scrape(id, at(5*time.Second))
	if got := one(t, s, `faultapp_ready{pod="p"}`, at(5*time.Second)); got != 0 {
		t.Errorf("faultapp_ready after SetReady(false) = %g, want 0", got)
	}
}

// TestConcurrentUse scrapes, trims and queries from several goroutines;
// run it with -race.
func TestConcurrentUse(t *testing.T) {
	s := New(interval)
	id := s.AddTarget(Target{Namespace: "ns", Pod: "a", Instance: "10.0.0.1:8080", Version: "v1"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		simulate(s, []pod{{id: id, load: steady("/api/catalog", map[int]uint64{200: 2})}}, 0, 10*time.Minute)
		s.Trim(at(5 * time.Minute))
	}()
	api := s.API(func() time.Time { return at(5 * time.Minute) })
	for range 20 {
		if _, _, err := api.Query(context.Background(), `sum(rate(http_request_duration_seconds_count[2m]))`, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	wantNear(t, "rate after the run", one(t, s, `sum(rate(http_request_duration_seconds_count[2m]))`, at(9*time.Minute)), 0.4)
}
