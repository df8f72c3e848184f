package promstore

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/prometheus/prometheus/promql"
)

const interval = 5 * time.Second

// t0 is the start of every test's virtual time.
var t0 = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// inBucket returns the buckets of n requests whose latencies all fall in
// bucket i (len(faultapp.DurationBuckets) is +Inf).
func inBucket(n uint64, i int) []uint64 {
	b := make([]uint64, len(faultapp.DurationBuckets)+1)
	b[i] = n
	return b
}

// bucketOf returns the index of the bucket whose upper bound is le.
func bucketOf(t testing.TB, le float64) int {
	for i, b := range faultapp.DurationBuckets {
		if b == le {
			return i
		}
	}
	t.Fatalf("no bucket le=%g", le)
	return 0
}

// pod is a target with its scrape phase and the requests it serves per
// scrape interval.
type pod struct {
	id    TargetID
	phase time.Duration
	load  func(s *Store, id TargetID)
}

// simulate runs the pods from..to (exclusive): at each pod's scrape time
// it first serves the pod's load of one interval, then scrapes it.
func simulate(s *Store, pods []pod, from, to time.Duration) {
	for tt := from; tt < to; tt += time.Second {
		for _, p := range pods {
			if (tt-p.phase)%interval != 0 {
				continue
			}
			if p.load != nil {
				p.load(s, p.id)
			}
			s.Scrape(p.id, at(tt))
		}
	}
}

// steady returns a load of n requests per interval of each status on path
// GET, all with latencies in bucket le=0.05.
func steady(path string, perStatus map[int]uint64) func(*Store, TargetID) {
	return func(s *Store, id TargetID) {
		for status, n := range perStatus {
			s.Observe(id, "GET", path, status, n, inBucket(n, 5), 0.04*float64(n))
		}
	}
}

// vec evaluates q at ts and fails the test on an error or a non-vector.
func vec(t testing.TB, s *Store, q string, ts time.Time) promql.Vector {
	t.Helper()
	v, err := s.Query(context.Background(), q, ts)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	out, ok := v.(promql.Vector)
	if !ok {
		t.Fatalf("%s: %T, want a vector", q, v)
	}
	return out
}

// one evaluates q at ts and returns the value of its single sample.
func one(t testing.TB, s *Store, q string, ts time.Time) float64 {
	t.Helper()
	v := vec(t, s, q, ts)
	if len(v) != 1 {
		t.Fatalf("%s at %s: %d samples, want 1: %v", q, ts.Sub(t0), len(v), v)
	}
	return v[0].F
}

func near(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want)) }

func wantNear(t testing.TB, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}
