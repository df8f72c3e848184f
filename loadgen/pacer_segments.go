package loadgen

import (
	"math"
	"time"
)

// forever is the end of a segment that never ends.
const forever = time.Duration(math.MaxInt64)

// segment is a span of constant rate ending at end (elapsed time).
type segment struct {
	end time.Duration
	rps float64
}

// segmentsHits integrates piecewise-constant segs (starting at 0) up to t;
// after the last segment the rate is 0.
func segmentsHits(segs []segment, t time.Duration) float64 {
	var hits float64
	var start time.Duration
	for _, s := range segs {
		if t <= start {
			break
		}
		hits += s.rps * (min(t, s.end) - start).Seconds()
		start = s.end
	}
	return hits
}

// segmentsRate returns the rate at t (0 after the last segment).
func segmentsRate(segs []segment, t time.Duration) float64 {
	for _, s := range segs {
		if t < s.end {
			return s.rps
		}
	}
	return 0
}

// segmentsDueAt returns the earliest t with segmentsHits(t) ≥ target.
func segmentsDueAt(segs []segment, target float64) (time.Duration, bool) {
	var hits float64
	var start time.Duration
	for _, s := range segs {
		if s.rps > 0 {
			need := (target - hits) / s.rps
			at := start + seconds(need)
			if s.end == forever || at <= s.end {
				return at, true
			}
		}
		if s.end == forever {
			return 0, false
		}
		hits += s.rps * (s.end - start).Seconds()
		start = s.end
	}
	return 0, false
}
