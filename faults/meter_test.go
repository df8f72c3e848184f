package faults

import (
	"testing"
	"time"
)

func TestRateMeter(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		dur      time.Duration
		lo, hi   float64
	}{
		{"100 rps", 10 * time.Millisecond, 13 * time.Second, 99, 101},
		{"1000 rps", time.Millisecond, 12 * time.Second, 999, 1001},
		{"5 rps", 200 * time.Millisecond, 15 * time.Second, 4.8, 5.2},
		{"warming up: 5 s at 100 rps", 10 * time.Millisecond, 5 * time.Second, 49, 51},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Unix(1000, 0)
			m := NewMeter(start)
			now := start
			for ; now.Sub(start) < tt.dur; now = now.Add(tt.interval) {
				m.Add(now)
			}
			if r := m.Rate(now); r < tt.lo || r > tt.hi {
				t.Errorf("rate %.2f, want [%g, %g]", r, tt.lo, tt.hi)
			}
		})
	}
}

func TestRateMeterForgets(t *testing.T) {
	start := time.Unix(1000, 0)
	m := NewMeter(start)
	for i := range 500 {
		m.Add(start.Add(time.Duration(i) * time.Millisecond))
	}
	// 32 buckets in the ring: stale epochs that wrap around must not count.
	for _, later := range []time.Duration{16 * time.Second, 30 * time.Second, time.Hour} {
		if r := m.Rate(start.Add(later)); r != 0 {
			t.Errorf("rate %.1f at +%v, want 0", r, later)
		}
	}
}
