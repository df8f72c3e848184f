package loadgen

import (
	"fmt"
	"time"
)

// Constant is a Pacer sending RPS requests per second, evenly spaced.
type Constant struct {
	RPS float64
}

var _ Pacer = Constant{}

// String describes the pacer.
func (c Constant) String() string { return fmt.Sprintf("Constant{%g/s}", c.RPS) }

// Validate reports a non-positive rate.
func (c Constant) Validate() error {
	if !(c.RPS > 0) {
		return fmt.Errorf("constant pacer: rate must be > 0, got %g", c.RPS)
	}
	return nil
}

// Rate returns the constant rate.
func (c Constant) Rate(time.Duration) float64 { return c.RPS }

// Hits returns RPS × elapsed.
func (c Constant) Hits(elapsed time.Duration) float64 {
	if elapsed <= 0 || c.Validate() != nil {
		return 0
	}
	return c.RPS * elapsed.Seconds()
}

// Pace implements vegeta.Pacer.
func (c Constant) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if c.Validate() != nil {
		return 0, true
	}
	return pace(c, elapsed, hits)
}

func (c Constant) dueAt(_ time.Duration, target float64) (time.Duration, bool) {
	return seconds(target / c.RPS), true
}
