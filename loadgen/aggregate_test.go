package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/coalmine/coalmine/results"
)

func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for _, v := range []time.Duration{0, 1, 31, 32, 33, 63, 64, 1000, time.Millisecond, time.Second, time.Hour, 10 * time.Hour} {
		i := histIndex(v)
		if i < prev {
			t.Fatalf("bucket of %d (%d) < bucket of a smaller value (%d)", v, i, prev)
		}
		prev = i
		if v > time.Hour {
			continue // clamped
		}
		if got := histValue(i); math.Abs(got-float64(v)) > float64(v)/64+0.5 {
			t.Errorf("value %d → bucket %d → %g: off by more than 1/64", v, i, got)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h histogram
	var vals []float64
	for range 20000 {
		v := time.Duration(rng.ExpFloat64() * 5e6) // mean 5 ms
		h.add(v)
		vals = append(vals, float64(v))
	}
	slices.Sort(vals)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		exact := vals[int(math.Ceil(q*float64(len(vals))))-1]
		if got := h.quantile(q); math.Abs(got-exact) > exact/64+1 {
			t.Errorf("q%.3f = %.0f, exact %.0f (> 1/64 off)", q, got, exact)
		}
	}
	if got := h.quantile(1); got != float64(h.max) {
		t.Errorf("q1 = %g, want max %d", got, h.max)
	}
	var empty histogram
	if empty.quantile(0.5) != 0 || empty.mean() != 0 {
		t.Error("empty histogram not 0")
	}
}

func rec(t0 time.Time, offset, latency time.Duration, version string, status int) *Record {
	return &Record{Start: t0.Add(offset), Endpoint: "catalog", User: "u00001", Status: status, Latency: latency, Version: version}
}

func TestAggregatorSeconds(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0).UTC()
	a := NewAggregator(10 * time.Second)
	// second 0: v1 latencies 1..100 ms, every 10th a 500; v2: 2 requests.
	for i := 1; i <= 100; i++ {
		status := 200
		if i%10 == 0 {
			status = 500
		}
		a.Observe(rec(t0, time.Duration(i)*5*time.Millisecond, time.Duration(i)*time.Millisecond, "v1", status))
	}
	a.Observe(rec(t0, 100*time.Millisecond, 7*time.Millisecond, "v2", 0))
	a.Observe(rec(t0, 200*time.Millisecond, 9*time.Millisecond, "v2", 200))
	// second 3: one v1 request; second 30 closes everything before 20.
	a.Observe(rec(t0, 3*time.Second, 4*time.Millisecond, "v1", 200))
	a.Observe(rec(t0, 30*time.Second, 4*time.Millisecond, "v1", 200))
	// late: a request of second 0 arriving after second 0 closed.
	a.Observe(rec(t0, 500*time.Millisecond, 40*time.Second, "v1", 503))
	got := a.Seconds()
	want := []results.Second{
		{T: t0.Unix(), Version: "v1", Requests: 101, Errors: 11, P50Ms: 50, P99Ms: 99},
		{T: t0.Unix(), Version: "v2", Requests: 2, Errors: 1, P50Ms: 7, P99Ms: 9},
		{T: t0.Unix() + 3, Version: "v1", Requests: 1, P50Ms: 4, P99Ms: 4},
		{T: t0.Unix() + 30, Version: "v1", Requests: 1, P50Ms: 4, P99Ms: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d seconds, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.T != w.T || g.Version != w.Version || g.Requests != w.Requests || g.Errors != w.Errors ||
			!near(g.P50Ms, w.P50Ms, w.P50Ms/64) || !near(g.P99Ms, w.P99Ms, w.P99Ms/64) {
			t.Errorf("second %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if a.Late() != 1 {
		t.Errorf("Late() = %d, want 1", a.Late())
	}
}

// TestAggregatorBoundedMemory checks that a long stream keeps only the
// window's histograms: open slots never exceed the window.
func TestAggregatorBoundedMemory(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	a := NewAggregator(5 * time.Second)
	for s := range 3600 {
		for _, v := range []string{"v1", "v2"} {
			a.Observe(rec(t0, time.Duration(s)*time.Second, time.Millisecond, v, 200))
		}
	}
	for _, vs := range a.versions {
		if len(vs.open) != 5 {
			t.Fatalf("%s: %d open slots, want 5", vs.version, len(vs.open))
		}
	}
	if n := len(a.Seconds()); n != 7200 {
		t.Fatalf("%d seconds, want 7200", n)
	}
}
