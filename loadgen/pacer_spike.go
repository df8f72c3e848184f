package loadgen

import (
	"errors"
	"fmt"
	"time"
)

// Spike is a Pacer holding BaseRPS, except PeakRPS during
// [Start, Start+Length).
type Spike struct {
	BaseRPS float64
	PeakRPS float64
	Start   time.Duration
	Length  time.Duration
}

var _ Pacer = Spike{}

// String describes the pacer.
func (s Spike) String() string {
	return fmt.Sprintf("Spike{%g/s, %g/s at %s for %s}", s.BaseRPS, s.PeakRPS, s.Start, s.Length)
}

// Validate reports negative rates or times, or no traffic at all.
func (s Spike) Validate() error {
	var errs []error
	if s.BaseRPS < 0 || s.PeakRPS < 0 || s.BaseRPS != s.BaseRPS || s.PeakRPS != s.PeakRPS {
		errs = append(errs, fmt.Errorf("spike pacer: rates must be ≥ 0, got base %g peak %g", s.BaseRPS, s.PeakRPS))
	}
	if s.Start < 0 || s.Length < 0 {
		errs = append(errs, fmt.Errorf("spike pacer: start and length must be ≥ 0, got %s, %s", s.Start, s.Length))
	}
	if s.BaseRPS <= 0 && (s.PeakRPS <= 0 || s.Length == 0) {
		errs = append(errs, errors.New("spike pacer: needs a rate > 0"))
	}
	return errors.Join(errs...)
}

// Rate returns the rate at elapsed.
func (s Spike) Rate(elapsed time.Duration) float64 {
	segs := s.segments()
	return segmentsRate(segs[:], elapsed)
}

// Hits returns the hits due by elapsed.
func (s Spike) Hits(elapsed time.Duration) float64 {
	if s.Validate() != nil {
		return 0
	}
	segs := s.segments()
	return segmentsHits(segs[:], elapsed)
}

// Pace implements vegeta.Pacer.
func (s Spike) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if s.Validate() != nil {
		return 0, true
	}
	return pace(s, elapsed, hits)
}

func (s Spike) dueAt(_ time.Duration, target float64) (time.Duration, bool) {
	segs := s.segments()
	return segmentsDueAt(segs[:], target)
}

func (s Spike) segments() [3]segment {
	return [3]segment{
		{end: s.Start, rps: s.BaseRPS},
		{end: s.Start + s.Length, rps: s.PeakRPS},
		{end: forever, rps: s.BaseRPS},
	}
}
