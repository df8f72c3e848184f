package promstore

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkSuccessRateQuery evaluates classic-steps' success-rate query
// over 80 _count series (10 pods, half of them canaries, × 4 paths × 2
// statuses; 1,280 series of the histogram in all) with 30 minutes of
// samples at 5 s.
func BenchmarkSuccessRateQuery(b *testing.B) {
	s := New(interval)
	var pods []pod
	for i := range 10 {
		hash := "stable1"
		if i%2 == 1 {
			hash = "canary1"
		}
		id := s.AddTarget(Target{Namespace: "shop", Pod: fmt.Sprintf("shop-%s-%d", hash, i), Hash: hash,
			Instance: fmt.Sprintf("10.0.0.%d:8080", i), Version: hash})
		pods = append(pods, pod{id: id, phase: time.Duration(i%5) * time.Second, load: func(s *Store, id TargetID) {
			for _, path := range []string{"/api/catalog", "/api/search", "/api/cart", "/api/checkout"} {
				steady(path, map[int]uint64{200: 20, 500: 1})(s, id)
			}
		}})
	}
	simulate(s, pods, 0, 30*time.Minute)
	if n := one(b, s, "count(http_request_duration_seconds_count)", at(30*time.Minute)); n != 80 {
		b.Fatalf("%g _count series, want 80", n)
	}
	q := libraryQueries(b, "classic-steps.yaml", libArgs)["success-rate"]
	wantNear(b, "success rate", one(b, s, q, at(30*time.Minute)), 20.0/21)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		one(b, s, q, at(30*time.Minute))
	}
}

// BenchmarkDayOfScrapes records a simulated day: 10 pods scraped every 5 s
// at their own phases, each serving 3 paths × 2 statuses (60 histogram
// children, 1,040 series), with a Trim every simulated minute keeping 10
// minutes.
func BenchmarkDayOfScrapes(b *testing.B) {
	paths := []string{"/api/catalog", "/api/search", "/api/cart"}
	ok, fail := inBucket(0, 0), inBucket(0, 0)
	b.ReportAllocs()
	for range b.N {
		s := New(interval)
		ids := make([]TargetID, 10)
		for i := range ids {
			ids[i] = s.AddTarget(Target{Namespace: "shop", Pod: fmt.Sprintf("shop-x-%d", i), Hash: "x",
				Instance: fmt.Sprintf("10.0.0.%d:8080", i), Version: "v1"})
		}
		samples := 0
		for sec := range 24 * 3600 {
			for i, id := range ids {
				if (sec-i)%5 != 0 {
					continue
				}
				for p, path := range paths {
					n := uint64(5 + (sec/5+p)%7)
					ok[5], fail[8] = n, 1
					s.Observe(id, "GET", path, 200, n, ok, 0.04*float64(n))
					s.Observe(id, "GET", path, 500, 1, fail, 0.3)
				}
				s.Scrape(id, at(time.Duration(sec)*time.Second))
				samples += 6*16 + 8
			}
			if sec%60 == 59 {
				s.Trim(at(time.Duration(sec-600) * time.Second))
			}
		}
		if kept := countSamples(s, 0, 1<<62); kept > 10*11*12*104 {
			b.Fatalf("%d samples kept, want at most 11 minutes' worth", kept)
		}
		b.ReportMetric(float64(samples), "samples/op")
	}
}
