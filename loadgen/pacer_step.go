package loadgen

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// StepRate is one step of a Step pacer: RPS for Duration.
type StepRate struct {
	Duration time.Duration
	RPS      float64
}

// Step is a Pacer holding each step's rate for its duration, in order. It
// stops the attack after the last step. A step may have rate 0 (a pause).
type Step struct {
	Steps []StepRate
}

var _ Pacer = Step{}

// String describes the pacer, e.g. Step{30s@100/s, 1m0s@500/s}.
func (s Step) String() string {
	parts := make([]string, len(s.Steps))
	for i, st := range s.Steps {
		parts[i] = fmt.Sprintf("%s@%g/s", st.Duration, st.RPS)
	}
	return "Step{" + strings.Join(parts, ", ") + "}"
}

// Validate reports steps with a non-positive duration or negative rate, or
// no positive rate at all.
func (s Step) Validate() error {
	var errs []error
	positive := false
	for i, st := range s.Steps {
		if st.Duration <= 0 {
			errs = append(errs, fmt.Errorf("step pacer: steps[%d].duration must be > 0, got %s", i, st.Duration))
		}
		if st.RPS < 0 || st.RPS != st.RPS {
			errs = append(errs, fmt.Errorf("step pacer: steps[%d].rate must be ≥ 0, got %g", i, st.RPS))
		}
		positive = positive || st.RPS > 0
	}
	if !positive {
		errs = append(errs, errors.New("step pacer: needs a step with a rate > 0"))
	}
	return errors.Join(errs...)
}

// Total returns the sum of the step durations.
func (s Step) Total() time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		d += st.Duration
	}
	return d
}

// Rate returns the rate of the step at elapsed (0 after the last step).
func (s Step) Rate(elapsed time.Duration) float64 {
	var buf [16]segment
	return segmentsRate(s.segments(buf[:0]), elapsed)
}

// Hits returns the hits due by elapsed.
func (s Step) Hits(elapsed time.Duration) float64 {
	if s.Validate() != nil {
		return 0
	}
	var buf [16]segment
	return segmentsHits(s.segments(buf[:0]), elapsed)
}

// Pace implements vegeta.Pacer.
func (s Step) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if s.Validate() != nil {
		return 0, true
	}
	return pace(s, elapsed, hits)
}

func (s Step) dueAt(_ time.Duration, target float64) (time.Duration, bool) {
	var buf [16]segment
	return segmentsDueAt(s.segments(buf[:0]), target)
}

// segments appends the steps as segments to buf (no allocation for up to
// len(buf) steps when buf lives on the caller's stack).
func (s Step) segments(buf []segment) []segment {
	var end time.Duration
	for _, st := range s.Steps {
		end += st.Duration
		buf = append(buf, segment{end: end, rps: st.RPS})
	}
	return buf
}
