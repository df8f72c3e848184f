package loadgen

import (
	"sync"
	"testing"
	"time"
)

func TestLiveStatsSnapshot(t *testing.T) {
	now := time.Unix(1_700_000_100, 500_000_000)
	s := NewLiveStats()
	// completed 2 s ago: 100 v1 (10 errors), 10 v2 (5 errors); 1 s ago: 50 v1.
	for i := range 100 {
		status := 200
		if i < 10 {
			status = 500
		}
		s.Observe(rec(now.Add(-2*time.Second), 0, time.Millisecond, "v1", status))
	}
	for i := range 10 {
		status := 200
		if i < 5 {
			status = 0
		}
		s.Observe(rec(now.Add(-2*time.Second), 0, time.Millisecond, "v2", status))
	}
	for range 50 {
		s.Observe(rec(now.Add(-time.Second), 0, time.Millisecond, "v1", 200))
	}
	s.Observe(rec(now, 0, 0, "v1", 200))                      // current second: excluded
	s.Observe(rec(now.Add(-30*time.Second), 0, 0, "v1", 200)) // too old: ignored

	last := s.Snapshot(now, 1)
	if last.RPS != 50 || last.ErrorRatio != 0 || len(last.Versions) != 1 {
		t.Errorf("last second: %+v", last)
	}
	two := s.Snapshot(now, 2)
	if two.RPS != 80 || !near(two.ErrorRatio, 15.0/160, 1e-12) {
		t.Errorf("last 2 s: rps %g err %g, want 80, %g", two.RPS, two.ErrorRatio, 15.0/160)
	}
	if len(two.Versions) != 2 || two.Versions[0].Version != "v1" || two.Versions[0].Requests != 150 ||
		two.Versions[1].RPS != 5 || two.Versions[1].ErrorRatio != 0.5 {
		t.Errorf("versions: %+v", two.Versions)
	}
}

func TestLiveStatsConcurrent(t *testing.T) {
	s := NewLiveStats()
	now := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				s.Observe(rec(now.Add(-time.Second), 0, 0, "v1", 200))
				_ = s.Snapshot(now, 3)
			}
		})
	}
	wg.Wait()
	if got := s.Snapshot(now, 1).Versions[0].Requests; got != 4000 {
		t.Fatalf("requests = %d, want 4000", got)
	}
}
