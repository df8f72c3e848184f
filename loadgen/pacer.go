package loadgen

import (
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Pacer is a vegeta.Pacer whose schedule is known in closed form. Hits
// returns ∫₀ᵗ Rate, the number of hits due by elapsed time t: the (n+1)-th
// hit is sent when Hits reaches n+1, so per-second counts follow the curve.
// Every pacer of this package is a value type and a pure function of the
// elapsed time; an invalid pacer (see its Validate) stops the attack at once.
type Pacer interface {
	vegeta.Pacer
	// Hits returns how many hits are due by elapsed (fractional).
	Hits(elapsed time.Duration) float64
	// Validate reports what is wrong with the pacer's parameters.
	Validate() error
}

// curve is what the generic Pace needs: the rate, its integral and the time
// of the next due hit.
type curve interface {
	Hits(elapsed time.Duration) float64
	// dueAt returns the earliest t ≥ from with Hits(t) ≥ target; ok is
	// false when that never happens (the schedule ended).
	dueAt(from time.Duration, target float64) (t time.Duration, ok bool)
}

// pace implements vegeta.Pacer.Pace for any curve.
func pace[C curve](c C, elapsed time.Duration, hits uint64) (time.Duration, bool) {
	target := float64(hits) + 1
	if c.Hits(elapsed) >= target {
		return 0, false // behind or exactly due: hit now
	}
	at, ok := c.dueAt(elapsed, target)
	if !ok {
		return 0, true
	}
	return at - elapsed, false
}

// seconds converts a (possibly fractional) number of seconds to a
// Duration, rounding up so that the due time is never early.
func seconds(s float64) time.Duration {
	ns := math.Ceil(s * 1e9)
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// rateCurve is a curve whose Rate is known but whose Hits has no closed
// inverse; invert solves for the due time numerically.
type rateCurve interface {
	Hits(elapsed time.Duration) float64
	Rate(elapsed time.Duration) float64
}

// invert returns the earliest t ≥ from with c.Hits(t) ≥ target (to the
// nanosecond), searching no further than from+horizon: an expanding
// bracket, then Newton steps safeguarded by bisection.
func invert[C rateCurve](c C, from time.Duration, target float64, horizon time.Duration) (time.Duration, bool) {
	lo, hi, ok := bracket(c, from, target, horizon)
	if !ok {
		return 0, false
	}
	for t := lo; hi-lo > 1; {
		h, r := c.Hits(t), c.Rate(t)
		if h >= target {
			hi = t
		} else {
			lo = t
		}
		next := lo + (hi-lo)/2
		if r > 0 {
			step := (target - h) / r * 1e9 // ns
			if math.Abs(step) < 1 {
				if h >= target {
					return t, true
				}
				return t + 1, true
			}
			switch n := t + time.Duration(math.Round(step)); {
			case n > lo && n < hi:
				next = n
			case n == hi: // landed on the bracket: probe just inside it
				next = hi - 1
			case n == lo:
				next = lo + 1
			}
		}
		t = next
	}
	return hi, true
}

// bracket finds lo < hi with Hits(lo) < target ≤ Hits(hi).
func bracket[C rateCurve](c C, from time.Duration, target float64, horizon time.Duration) (lo, hi time.Duration, ok bool) {
	lo = from
	step := time.Millisecond
	if r := c.Rate(from); r > 0 {
		step = max(seconds((target-c.Hits(from))/r), time.Nanosecond)
	}
	for hi = lo + step; c.Hits(hi) < target; hi = lo + step {
		if hi-from > horizon {
			return 0, 0, false
		}
		lo, step = hi, 2*step
	}
	return lo, hi, true
}
