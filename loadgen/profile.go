package loadgen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Profile names.
const (
	ProfileConstant = "constant"
	ProfileDiurnal  = "diurnal"
	ProfileStep     = "step"
	ProfileSpike    = "spike"
)

// ProfileSpec describes a traffic profile in flat form (as command-line
// flags and scenario files write it) and builds its Pacer.
type ProfileSpec struct {
	// Profile is constant, diurnal, step or spike ("" = constant).
	Profile string
	// RPS is the constant rate and the spike's base rate.
	RPS float64
	// TroughRPS and PeakRPS bound the diurnal curve; PeakRPS is also the
	// spike's rate.
	TroughRPS, PeakRPS float64
	// Diurnal: day length, start hour, sine peak hour, optional 24 levels.
	Day                 time.Duration
	StartHour, PeakHour float64
	Hourly              []float64
	// Steps of the step profile.
	Steps []StepRate
	// SpikeAt and SpikeFor place the spike.
	SpikeAt, SpikeFor time.Duration
}

// Pacer returns the profile's validated pacer.
func (s ProfileSpec) Pacer() (Pacer, error) {
	var p Pacer
	switch s.Profile {
	case "", ProfileConstant:
		p = Constant{RPS: s.RPS}
	case ProfileDiurnal:
		p = Diurnal{TroughRPS: s.TroughRPS, PeakRPS: s.PeakRPS, Day: s.Day, StartHour: s.StartHour,
			PeakHour: s.PeakHour, Hourly: s.Hourly}
	case ProfileStep:
		p = Step{Steps: s.Steps}
	case ProfileSpike:
		p = Spike{BaseRPS: s.RPS, PeakRPS: s.PeakRPS, Start: s.SpikeAt, Length: s.SpikeFor}
	default:
		return nil, fmt.Errorf("unknown profile %q (want constant, diurnal, step or spike)", s.Profile)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// ParseSteps parses "DURATION:RATE,..." such as "30s:100,1m:500".
func ParseSteps(s string) ([]StepRate, error) {
	var steps []StepRate
	var errs []error
	for i, part := range strings.Split(s, ",") {
		d, r, ok := strings.Cut(strings.TrimSpace(part), ":")
		dur, derr := time.ParseDuration(d)
		rate, rerr := strconv.ParseFloat(r, 64)
		if !ok || derr != nil || rerr != nil {
			errs = append(errs, fmt.Errorf("steps[%d] %q: want DURATION:RATE, e.g. 30s:100", i, part))
			continue
		}
		steps = append(steps, StepRate{Duration: dur, RPS: rate})
	}
	return steps, errors.Join(errs...)
}

// ParseHourly parses 24 comma-separated levels in [0, 1].
func ParseHourly(s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 24 {
		return nil, fmt.Errorf("hourly: want 24 comma-separated levels, got %d", len(parts))
	}
	levels := make([]float64, 24)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("hourly[%d] %q: %w", i, p, err)
		}
		levels[i] = v
	}
	return levels, nil
}
