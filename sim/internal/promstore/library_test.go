package promstore

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

const libraryDir = "../../../scenarios/library/strategies"

// templateMetric is the part of an AnalysisTemplate metric the tests read.
type templateMetric struct {
	Name     string `yaml:"name"`
	Provider struct {
		Prometheus *struct {
			Query string `yaml:"query"`
		} `yaml:"prometheus"`
	} `yaml:"provider"`
}

// libraryQueries returns the Prometheus queries of the AnalysisTemplates
// in a library strategy file by metric name, with args substituted.
func libraryQueries(t testing.TB, file string, args map[string]string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(libraryDir, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	dec := yaml.NewDecoder(f)
	for {
		var doc struct {
			Kind string `yaml:"kind"`
			Spec struct {
				Metrics []templateMetric `yaml:"metrics"`
			} `yaml:"spec"`
		}
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if doc.Kind != "AnalysisTemplate" {
			continue
		}
		for _, m := range doc.Spec.Metrics {
			if m.Provider.Prometheus != nil {
				out[m.Name] = substitute(t, m.Provider.Prometheus.Query, args)
			}
		}
	}
}

func substitute(t testing.TB, q string, args map[string]string) string {
	for k, v := range args {
		q = strings.ReplaceAll(q, "{{args."+k+"}}", v)
	}
	if strings.Contains(q, "{{") {
		t.Fatalf("unsubstituted argument in %s", q)
	}
	return q
}

var libArgs = map[string]string{"namespace": "shop", "canary-hash": "canary1", "stable-hash": "stable1"}

// twoHashes runs a stable pod (1 % errors on /api/catalog, slow) and a
// canary pod (2 % errors on two paths, fast) for 12 minutes at different
// scrape phases, plus a pod of the canary hash in another namespace that
// only fails.
func twoHashes(t testing.TB) *Store {
	s := New(interval)
	stable := s.AddTarget(Target{Namespace: "shop", Pod: "shop-stable1-x", Hash: "stable1", Instance: "10.0.0.1:8080", Version: "v1"})
	canary := s.AddTarget(Target{Namespace: "shop", Pod: "shop-canary1-y", Hash: "canary1", Instance: "10.0.0.2:8080", Version: "v2"})
	other := s.AddTarget(Target{Namespace: "other", Pod: "shop-canary1-z", Hash: "canary1", Instance: "10.0.0.3:8080", Version: "v2"})
	slow := bucketOf(t, 1)
	pods := []pod{
		{id: stable, phase: 1 * time.Second, load: func(s *Store, id TargetID) {
			s.Observe(id, "GET", "/api/catalog", 200, 99, inBucket(99, slow), 99*0.9)
			s.Observe(id, "GET", "/api/catalog", 503, 1, inBucket(1, slow), 0.9)
		}},
		{id: canary, phase: 3 * time.Second, load: func(s *Store, id TargetID) {
			for _, path := range []string{"/api/catalog", "/api/search"} {
				steady(path, map[int]uint64{200: 49, 500: 1})(s, id)
			}
		}},
		{id: other, phase: 4 * time.Second, load: steady("/api/catalog", map[int]uint64{500: 7})},
	}
	simulate(s, pods, 0, 12*time.Minute)
	return s
}

func TestClassicStepsSuccessRate(t *testing.T) {
	s := twoHashes(t)
	q := libraryQueries(t, "classic-steps.yaml", libArgs)["success-rate"]
	if q == "" {
		t.Fatal("no success-rate query in classic-steps.yaml")
	}
	// Every series of a pod has the same samples' timestamps and is long
	// past its start, so extrapolation scales numerator and denominator
	// alike: the canary's 2 errors in 100 requests give exactly 0.98.
	wantNear(t, "canary success rate", one(t, s, q, at(11*time.Minute)), 0.98)
	stable := libraryQueries(t, "classic-steps.yaml", map[string]string{"namespace": "shop", "canary-hash": "stable1"})["success-rate"]
	wantNear(t, "stable success rate", one(t, s, stable, at(11*time.Minute)), 0.99)
	// No traffic for that hash: the or on() vector(1) fallback.
	none := libraryQueries(t, "classic-steps.yaml", map[string]string{"namespace": "shop", "canary-hash": "nope"})["success-rate"]
	v := vec(t, s, none, at(11*time.Minute))
	if len(v) != 1 || v[0].F != 1 || v[0].Metric.Len() != 0 {
		t.Errorf("no-traffic result = %v, want {} 1", v)
	}
	// Before the canary's series have two samples in the window, rate()
	// has nothing and the fallback answers 1 too.
	wantNear(t, "success rate at 4 s", one(t, s, q, at(4*time.Second)), 1)
}

func TestLatencyGuardQuantile(t *testing.T) {
	s := New(interval)
	canary := s.AddTarget(Target{Namespace: "shop", Pod: "c", Hash: "canary1", Instance: "10.0.0.2:8080", Version: "v2"})
	stable := s.AddTarget(Target{Namespace: "shop", Pod: "s", Hash: "stable1", Instance: "10.0.0.1:8080", Version: "v1"})
	b := inBucket(90, bucketOf(t, 0.05))
	b[bucketOf(t, 0.1)] = 8
	b[bucketOf(t, 0.25)] = 2
	pods := []pod{
		{id: canary, phase: 2 * time.Second, load: func(s *Store, id TargetID) {
			s.Observe(id, "GET", "/api/search", 200, 100, b, 4.5)
		}},
		{id: stable, phase: 0, load: func(s *Store, id TargetID) {
			s.Observe(id, "GET", "/api/search", 200, 10, inBucket(10, bucketOf(t, 5)), 40)
		}},
	}
	simulate(s, pods, 0, 10*time.Minute)
	qs := libraryQueries(t, "latency-guard.yaml", libArgs)
	// 90 % ≤ 0.05 s, 98 % ≤ 0.1 s, 100 % ≤ 0.25 s: the 99th percentile is
	// halfway through (0.1, 0.25], by linear interpolation 0.175 s.
	wantNear(t, "p99", one(t, s, qs["p99-latency"], at(9*time.Minute)), 0.175)
	wantNear(t, "success rate", one(t, s, qs["success-rate"], at(9*time.Minute)), 1)
	stableQ := libraryQueries(t, "latency-guard.yaml", map[string]string{"namespace": "shop", "canary-hash": "stable1"})
	wantNear(t, "stable p99", one(t, s, stableQ["p99-latency"], at(9*time.Minute)), 2.5+(5-2.5)*0.99)
	empty := libraryQueries(t, "latency-guard.yaml", map[string]string{"namespace": "shop", "canary-hash": "nope"})
	wantNear(t, "p99 without traffic", one(t, s, empty["p99-latency"], at(9*time.Minute)), 0)
}

// TestLibraryQueries evaluates every query of the library: each parses
// and gives one sample.
func TestLibraryQueries(t *testing.T) {
	s := twoHashes(t)
	files, err := filepath.Glob(filepath.Join(libraryDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no library strategies: %v", err)
	}
	total := 0
	for _, f := range files {
		for name, q := range libraryQueries(t, filepath.Base(f), libArgs) {
			total++
			v := one(t, s, q, at(11*time.Minute))
			if math.IsNaN(v) || v < -1 || v > 1 {
				t.Errorf("%s %s = %g, want a fraction or difference", filepath.Base(f), name, v)
			}
		}
	}
	if total < 8 {
		t.Errorf("evaluated %d library queries, want at least 8", total)
	}
	// fail-fast: canary 2 % errors minus stable 1 % errors.
	q := libraryQueries(t, "fail-fast.yaml", libArgs)["excess-error-rate"]
	wantNear(t, "fail-fast excess error rate", one(t, s, q, at(11*time.Minute)), 0.01)
}
