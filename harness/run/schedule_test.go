package run

import (
	"testing"
	"time"

	"github.com/coalmine/coalmine/scenarios"
)

func TestReleaseWait(t *testing.T) {
	// A 24 h day in 10 min: one simulated hour is 25 s of real time.
	traffic := scenarios.Traffic{DayLength: scenarios.D(10 * time.Minute), StartHour: scenarios.Clock(9, 0)}
	at := func(h, m int) scenarios.When { c := scenarios.Clock(h, m); return scenarios.When{At: &c} }
	after := func(d time.Duration) scenarios.When { v := scenarios.D(d); return scenarios.When{AfterPrevious: &v} }
	tests := []struct {
		name    string
		when    scenarios.When
		elapsed time.Duration
		want    time.Duration
	}{
		{"10:30 after a 30s warmup (10:12)", at(10, 30), 30 * time.Second, 7500 * time.Millisecond},
		{"10:30 right at start", at(10, 30), 0, 37500 * time.Millisecond},
		{"exactly now", at(10, 30), 37500 * time.Millisecond, 0},
		{"passed: next day", at(9, 0), 25 * time.Second, 10*time.Minute - 25*time.Second},
		{"after midnight wraps", at(1, 0), 0, 16 * 25 * time.Second},
		{"after previous", after(45 * time.Second), 3 * time.Minute, 45 * time.Second},
		{"after previous zero", after(0), time.Minute, 0},
		{"neither set", scenarios.When{}, time.Minute, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := releaseWait(traffic, tt.when, tt.elapsed); got != tt.want {
				t.Errorf("releaseWait = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNamespaceName(t *testing.T) {
	tests := []struct{ strategy, want string }{
		{"classic-steps", "coalmine-classic-steps-ab12cd"},
		{"My_Strategy.v2", "coalmine-my-strategy-v2-ab12cd"},
		{"a-very-long-strategy-name-that-goes-on-and-on-and-on-forever", "coalmine-a-very-long-strategy-name-that-goes-on-and-on-a-ab12cd"},
	}
	for _, tt := range tests {
		got := namespaceName(tt.strategy, "ab12cd")
		if got != tt.want || len(got) > 63 {
			t.Errorf("namespaceName(%q) = %q (%d chars), want %q", tt.strategy, got, len(got), tt.want)
		}
	}
}
