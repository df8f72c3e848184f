package loadgen

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Diurnal is a Pacer following a daily traffic curve between TroughRPS and
// PeakRPS, with a whole 24 h day played in Day of real time (a day in 10
// minutes is a 144× time scale), starting at StartHour of the day.
//
// The curve's shape is a level in [0, 1] at each hour h of the day, and the
// rate is TroughRPS + level(h)·(PeakRPS − TroughRPS). Without Hourly the
// level is a sine peaking at PeakHour (trough 12 h later):
// level(h) = (1 + cos(2π(h − PeakHour)/24)) / 2. With Hourly (24 levels, one
// per o'clock from 00:00) the level is interpolated linearly between hours,
// and from 23:00 back to 00:00. Hits integrates the rate exactly.
type Diurnal struct {
	TroughRPS float64
	PeakRPS   float64
	// Day is the real duration of one 24 h day; > 0.
	Day time.Duration
	// StartHour is the hour of the day at elapsed 0, in [0, 24).
	StartHour float64
	// PeakHour is where the sine curve peaks, in [0, 24) (0 = midnight).
	PeakHour float64
	// Hourly, when set, are the 24 levels replacing the sine.
	Hourly []float64
}

var _ Pacer = Diurnal{}

// String describes the pacer.
func (d Diurnal) String() string {
	shape := fmt.Sprintf("sine peak %gh", d.PeakHour)
	if len(d.Hourly) > 0 {
		shape = "hourly curve"
	}
	return fmt.Sprintf("Diurnal{%g..%g/s, %s, day %s, start %gh}", d.TroughRPS, d.PeakRPS, shape, d.Day, d.StartHour)
}

// Validate reports every problem with the parameters.
func (d Diurnal) Validate() error {
	var errs []error
	if !(d.TroughRPS >= 0) || !(d.PeakRPS >= d.TroughRPS) || !(d.PeakRPS > 0) {
		errs = append(errs, fmt.Errorf("diurnal pacer: want 0 ≤ trough ≤ peak and peak > 0, got trough %g peak %g", d.TroughRPS, d.PeakRPS))
	}
	if d.Day <= 0 {
		errs = append(errs, fmt.Errorf("diurnal pacer: day must be > 0, got %s", d.Day))
	}
	if !(d.StartHour >= 0 && d.StartHour < 24) {
		errs = append(errs, fmt.Errorf("diurnal pacer: start hour must be in [0, 24), got %g", d.StartHour))
	}
	if !(d.PeakHour >= 0 && d.PeakHour < 24) {
		errs = append(errs, fmt.Errorf("diurnal pacer: peak hour must be in [0, 24), got %g", d.PeakHour))
	}
	if err := validateHourly(d.Hourly, d.TroughRPS); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func validateHourly(levels []float64, trough float64) error {
	if len(levels) == 0 {
		return nil
	}
	if len(levels) != 24 {
		return fmt.Errorf("diurnal pacer: hourly needs 24 levels, got %d", len(levels))
	}
	positive := trough > 0
	for i, l := range levels {
		if !(l >= 0 && l <= 1) {
			return fmt.Errorf("diurnal pacer: hourly[%d] must be in [0, 1], got %g", i, l)
		}
		positive = positive || l > 0
	}
	if !positive {
		return errors.New("diurnal pacer: hourly curve and trough are all 0")
	}
	return nil
}

// HourAt returns the hour of the day, in [0, 24), at elapsed.
func (d Diurnal) HourAt(elapsed time.Duration) float64 {
	return math.Mod(d.hoursAt(elapsed), 24)
}

// hoursAt returns the unwrapped hour: StartHour plus elapsed day-hours.
func (d Diurnal) hoursAt(elapsed time.Duration) float64 {
	return d.StartHour + 24*float64(elapsed)/float64(d.Day)
}

// Rate returns the rate (requests/s) at elapsed.
func (d Diurnal) Rate(elapsed time.Duration) float64 {
	return d.TroughRPS + (d.PeakRPS-d.TroughRPS)*d.level(d.HourAt(elapsed))
}

// Hits returns ∫₀^elapsed Rate, in requests. Hits and Rate of a pacer that
// fails Validate are meaningless.
func (d Diurnal) Hits(elapsed time.Duration) float64 {
	if elapsed <= 0 || d.Day <= 0 {
		return 0
	}
	secPerHour := d.Day.Seconds() / 24
	levelHours := d.levelIntegral(d.hoursAt(elapsed)) - d.levelIntegral(d.StartHour)
	return d.TroughRPS*elapsed.Seconds() + (d.PeakRPS-d.TroughRPS)*levelHours*secPerHour
}

// Pace implements vegeta.Pacer.
func (d Diurnal) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if d.Validate() != nil {
		return 0, true
	}
	return pace(d, elapsed, hits)
}

func (d Diurnal) dueAt(from time.Duration, target float64) (time.Duration, bool) {
	perDay := d.TroughRPS*d.Day.Seconds() + (d.PeakRPS-d.TroughRPS)*d.levelIntegral(24)*d.Day.Seconds()/24
	days := math.Ceil((target-d.Hits(from))/perDay) + 2
	return invert(d, from, target, time.Duration(days*float64(d.Day)))
}

// level returns the curve's level in [0, 1] at hour h of the day.
func (d Diurnal) level(h float64) float64 {
	if len(d.Hourly) != 24 {
		return (1 + math.Cos(2*math.Pi*(h-d.PeakHour)/24)) / 2
	}
	i := int(h) % 24
	f := h - math.Floor(h)
	return d.Hourly[i]*(1-f) + d.Hourly[(i+1)%24]*f
}

// levelIntegral is an antiderivative of level over unwrapped hours h ≥ 0.
func (d Diurnal) levelIntegral(h float64) float64 {
	if len(d.Hourly) != 24 {
		return h/2 + 24/(4*math.Pi)*math.Sin(2*math.Pi*(h-d.PeakHour)/24)
	}
	days := math.Floor(h / 24)
	return days*d.hourlyIntegral(24) + d.hourlyIntegral(h-24*days)
}

// hourlyIntegral integrates the interpolated hourly levels over [0, h],
// 0 ≤ h ≤ 24.
func (d Diurnal) hourlyIntegral(h float64) float64 {
	full := min(int(h), 24)
	var sum float64
	for i := 0; i < full; i++ {
		sum += d.Hourly[i] + d.hourly(i+1)
	}
	sum /= 2
	if f := h - float64(full); f > 0 && full < 24 {
		a, b := d.Hourly[full], d.hourly(full+1)
		sum += a*f + (b-a)*f*f/2
	}
	return sum
}

// hourly returns the level at o'clock i in [0, 24], 24 being 00:00.
func (d Diurnal) hourly(i int) float64 {
	if i == 24 {
		return d.Hourly[0]
	}
	return d.Hourly[i]
}
