package run

import (
	"time"

	"github.com/coalmine/coalmine/scenarios"
)

// releaseWait is how long to wait before applying a release whose
// predecessor settled (or, for the first release, whose warmup ended) at
// elapsed real time since traffic started: until the simulated clock next
// shows When.At, or When.AfterPrevious.
func releaseWait(t scenarios.Traffic, w scenarios.When, elapsed time.Duration) time.Duration {
	switch {
	case w.At != nil:
		return t.Until(elapsed, *w.At)
	case w.AfterPrevious != nil:
		return w.AfterPrevious.Duration
	}
	return 0
}

// attackBound is the longest the traffic of one strategy can last: the
// scenario's worst case (every release timing out) plus a margin for
// the time the harness itself takes between steps.
func attackBound(s *scenarios.Scenario) time.Duration {
	return s.MaxDuration() + time.Minute
}
