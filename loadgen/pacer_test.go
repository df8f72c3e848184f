package loadgen

import (
	"math"
	"strings"
	"testing"
	"time"
)

const (
	sec = time.Second
	ms  = time.Millisecond
)

// sineDay is a diurnal day in 24 s (one hour per second), trough at 00:00.
var sineDay = Diurnal{TroughRPS: 100, PeakRPS: 1000, Day: 24 * sec, PeakHour: 12}

// bumpDay is an hourly curve: level 0.5 all day with a peak of 1 at 10:00.
func bumpDay(day time.Duration, start float64) Diurnal {
	levels := make([]float64, 24)
	for i := range levels {
		levels[i] = 0.5
	}
	levels[10] = 1
	return Diurnal{PeakRPS: 1000, Day: day, StartHour: start, Hourly: levels}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestPacerRateAndHits(t *testing.T) {
	steps := Step{Steps: []StepRate{{sec, 10}, {500 * ms, 0}, {sec, 100}}}
	spike := Spike{BaseRPS: 10, PeakRPS: 100, Start: sec, Length: sec}
	tests := []struct {
		name      string
		p         Pacer
		at        time.Duration
		rate      float64
		hits      float64
		tolerance float64
	}{
		{"constant", Constant{RPS: 100}, 1500 * ms, 100, 150, 1e-9},
		{"constant before start", Constant{RPS: 100}, -sec, 100, 0, 0},
		{"step first", steps, 500 * ms, 10, 5, 1e-9},
		{"step pause", steps, 1200 * ms, 0, 10, 1e-9},
		{"step last", steps, 2 * sec, 100, 60, 1e-9},
		{"step after end", steps, 10 * sec, 0, 110, 1e-9},
		{"spike before", spike, 500 * ms, 10, 5, 1e-9},
		{"spike during", spike, 1500 * ms, 100, 60, 1e-9},
		{"spike after", spike, 3 * sec, 10, 120, 1e-9},
		{"sine trough", sineDay, 0, 100, 0, 1e-9},
		{"sine morning", sineDay, 6 * sec, 550, 550*6 - 900*24/(4*math.Pi), 1e-6},
		{"sine peak", sineDay, 12 * sec, 1000, 6600, 1e-6},
		{"sine whole day", sineDay, 24 * sec, 100, 13200, 1e-6},
		{"sine two days", sineDay, 48 * sec, 100, 26400, 1e-6},
		{"sine start at noon", withStart(sineDay, 12), 0, 1000, 0, 1e-9},
		{"sine noon to 18h", withStart(sineDay, 12), 6 * sec, 550, 600 + 900*(3+24/(4*math.Pi)), 1e-6},
		{"sine day in 10m", withDay(sineDay, 10*time.Minute), 10 * time.Minute, 100, 550 * 600, 1e-4},
		{"sine day in 10m, 1/4", withDay(sineDay, 10*time.Minute), 150 * sec, 550, 550*150 - 900*600/(4*math.Pi), 1e-4},
		{"hourly flat", bumpDay(24*sec, 0), 5500 * ms, 500, 2750, 1e-6},
		{"hourly ramp", bumpDay(24*sec, 0), 9500 * ms, 750, 9.5*500 + 1000*0.0625, 1e-6},
		{"hourly whole day", bumpDay(24*sec, 0), 24 * sec, 500, 12500, 1e-6},
		{"hourly wrap 23h", bumpDay(24*sec, 0), 23500 * ms, 500, 12250, 1e-6},
		{"hourly start 9:30, 2s/h", bumpDay(48*sec, 9.5), 2 * sec, 750, 1750, 1e-6},
		{"hourly start 9:30 at 10:00", bumpDay(48*sec, 9.5), sec, 1000, 875, 1e-6},
		{"hourly start 23:00 wraps", bumpDay(24*sec, 23), 2 * sec, 500, 1000, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := tt.p.Rate(tt.at); !near(got, tt.rate, 1e-9) {
				t.Errorf("Rate(%s) = %g, want %g", tt.at, got, tt.rate)
			}
			if got := tt.p.Hits(tt.at); !near(got, tt.hits, tt.tolerance) {
				t.Errorf("Hits(%s) = %.9g, want %.9g", tt.at, got, tt.hits)
			}
		})
	}
}

func withStart(d Diurnal, h float64) Diurnal       { d.StartHour = h; return d }
func withDay(d Diurnal, day time.Duration) Diurnal { d.Day = day; return d }

func TestPacerPace(t *testing.T) {
	steps := Step{Steps: []StepRate{{sec, 10}, {500 * ms, 0}, {sec, 100}}}
	spike := Spike{BaseRPS: 10, PeakRPS: 100, Start: sec, Length: sec}
	tests := []struct {
		name    string
		p       Pacer
		elapsed time.Duration
		hits    uint64
		wait    time.Duration
		stop    bool
	}{
		{"constant first hit", Constant{RPS: 100}, 0, 0, 10 * ms, false},
		{"constant early", Constant{RPS: 100}, 4 * ms, 0, 6 * ms, false},
		{"constant on time", Constant{RPS: 100}, 10 * ms, 1, 10 * ms, false},
		{"constant behind", Constant{RPS: 100}, sec, 50, 0, false},
		{"constant invalid", Constant{}, 0, 0, 0, true},
		{"step into pause", steps, sec, 10, 510 * ms, false},
		{"step behind", steps, 1200 * ms, 9, 0, false},
		{"step last hit", steps, 2490 * ms, 109, 10 * ms, false},
		{"step ended", steps, 2500 * ms, 110, 0, true},
		{"spike edge", spike, sec, 10, 10 * ms, false},
		{"spike end", spike, 2 * sec, 110, 100 * ms, false},
		{"sine at peak", sineDay, 12 * sec, 6600, ms, false},
		{"sine at trough", sineDay, 24 * sec, 13200, 10 * ms, false},
		{"sine start noon", withStart(sineDay, 12), 0, 0, ms, false},
		{"hourly at 10:00, 2s/h", bumpDay(48*sec, 9.5), sec, 875, ms, false},
		{"diurnal invalid", Diurnal{PeakRPS: 10}, 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, stop := tt.p.Pace(tt.elapsed, tt.hits)
			if stop != tt.stop {
				t.Fatalf("stop = %v, want %v", stop, tt.stop)
			}
			if d := wait - tt.wait; d < -time.Microsecond || d > time.Microsecond {
				t.Fatalf("wait = %s, want %s ± 1µs", wait, tt.wait)
			}
		})
	}
}

// simulate plays p with a perfect attacker (every hit sent exactly when
// Pace says) and returns the send times up to until.
func simulate(t *testing.T, p Pacer, until time.Duration) []time.Duration {
	t.Helper()
	var at []time.Duration
	var now time.Duration
	for hits := uint64(0); ; hits++ {
		wait, stop := p.Pace(now, hits)
		if wait < 0 {
			t.Fatalf("negative wait %s at %s", wait, now)
		}
		if now += wait; stop || now >= until {
			return at
		}
		at = append(at, now)
	}
}

// TestPacerFollowsCurve checks that per-second hit counts of a simulated
// attack equal ∫ rate over each second (± 1 hit for the boundaries).
func TestPacerFollowsCurve(t *testing.T) {
	tests := []struct {
		name  string
		p     Pacer
		until time.Duration
	}{
		{"constant", Constant{RPS: 333.3}, 5 * sec},
		{"step", Step{Steps: []StepRate{{2 * sec, 50}, {sec, 0}, {1500 * ms, 700}, {sec, 3}}}, 6 * sec},
		{"spike", Spike{BaseRPS: 20, PeakRPS: 800, Start: 1500 * ms, Length: 2 * sec}, 5 * sec},
		{"sine day", sineDay, 30 * sec},
		{"sine day from 7:15", withStart(withDay(sineDay, 12*sec), 7.25), 15 * sec},
		{"hourly day", bumpDay(24*sec, 0), 26 * sec},
		{"hourly day from 21:40", bumpDay(12*sec, 21+2.0/3), 13 * sec},
		{"night with zero traffic", Diurnal{PeakRPS: 200, Day: 24 * sec, Hourly: nightOff()}, 25 * sec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			times := simulate(t, tt.p, tt.until)
			counts := make([]int, int(tt.until/sec)+1)
			for _, at := range times {
				counts[at/sec]++
			}
			for s := range int(tt.until / sec) {
				want := tt.p.Hits(time.Duration(s+1)*sec) - tt.p.Hits(time.Duration(s)*sec)
				if math.Abs(float64(counts[s])-want) > 1+1e-6 {
					t.Errorf("second %d: %d hits, want %.2f ± 1", s, counts[s], want)
				}
			}
			if total := tt.p.Hits(tt.until); math.Abs(float64(len(times))-total) > 1+1e-6 {
				t.Errorf("%d hits in total, want %.2f ± 1", len(times), total)
			}
		})
	}
}

// nightOff is an hourly curve with no traffic from 00:00 to 06:00.
func nightOff() []float64 {
	l := make([]float64, 24)
	for i := 7; i < 24; i++ {
		l[i] = 1
	}
	return l
}

func TestPacerValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Pacer
		want string // "" = valid
	}{
		{"constant", Constant{RPS: 1}, ""},
		{"constant zero", Constant{}, "rate must be > 0"},
		{"step", Step{Steps: []StepRate{{sec, 0}, {sec, 1}}}, ""},
		{"step empty", Step{}, "needs a step with a rate > 0"},
		{"step bad duration", Step{Steps: []StepRate{{0, 1}}}, "steps[0].duration"},
		{"step negative rate", Step{Steps: []StepRate{{sec, 1}, {sec, -1}}}, "steps[1].rate"},
		{"spike", Spike{BaseRPS: 1, PeakRPS: 5, Length: sec}, ""},
		{"spike only peak", Spike{PeakRPS: 5, Length: sec}, ""},
		{"spike nothing", Spike{PeakRPS: 5}, "needs a rate > 0"},
		{"spike negative", Spike{BaseRPS: -1, PeakRPS: 5, Length: sec}, "rates must be ≥ 0"},
		{"diurnal", sineDay, ""},
		{"diurnal trough above peak", Diurnal{TroughRPS: 5, PeakRPS: 1, Day: sec}, "trough ≤ peak"},
		{"diurnal no day", Diurnal{PeakRPS: 1}, "day must be > 0"},
		{"diurnal start hour", Diurnal{PeakRPS: 1, Day: sec, StartHour: 24}, "start hour"},
		{"diurnal peak hour", Diurnal{PeakRPS: 1, Day: sec, PeakHour: -1}, "peak hour"},
		{"diurnal short hourly", Diurnal{PeakRPS: 1, Day: sec, Hourly: []float64{1}}, "24 levels"},
		{"diurnal level > 1", Diurnal{PeakRPS: 1, Day: sec, Hourly: levelsWith(3, 1.5)}, "hourly[3]"},
		{"diurnal all zero", Diurnal{PeakRPS: 1, Day: sec, Hourly: make([]float64, 24)}, "all 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func levelsWith(i int, v float64) []float64 {
	l := make([]float64, 24)
	l[i] = v
	return l
}

func TestDiurnalHourAt(t *testing.T) {
	d := Diurnal{PeakRPS: 1, Day: 10 * time.Minute, StartHour: 22}
	for _, tt := range []struct {
		at   time.Duration
		want float64
	}{{0, 22}, {50 * sec, 0}, {75 * sec, 1}, {10 * time.Minute, 22}} {
		if got := d.HourAt(tt.at); !near(got, tt.want, 1e-9) {
			t.Errorf("HourAt(%s) = %g, want %g", tt.at, got, tt.want)
		}
	}
}
