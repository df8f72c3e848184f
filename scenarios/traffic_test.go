package scenarios

import (
	"math"
	"testing"
	"time"
)

func TestPacerFollowsProfile(t *testing.T) {
	noon := Clock(12, 0)
	ten := Clock(10, 0)
	day := D(24 * time.Minute) // one simulated hour per real minute
	tests := []struct {
		name    string
		traffic Traffic
		at      time.Duration
		want    float64
	}{
		{"diurnal at the start hour (trough)", Traffic{Profile: ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon}, 0, 40},
		{"diurnal at the peak, 12 simulated hours later", Traffic{Profile: ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon}, 12 * time.Minute, 200},
		{"diurnal starting at 09:00, at noon", Traffic{Profile: ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon, StartHour: Clock(9, 0)}, 3 * time.Minute, 200},
		{"constant", Traffic{Profile: ProfileConstant, RPS: 75, DayLength: day}, 5 * time.Minute, 75},
		{"step before the change", Traffic{Profile: ProfileStep, RPS: 50, PeakRPS: 150, DayLength: day, StartHour: Clock(8, 0), ChangeAt: &ten}, 90 * time.Second, 50},
		{"step after the change", Traffic{Profile: ProfileStep, RPS: 50, PeakRPS: 150, DayLength: day, StartHour: Clock(8, 0), ChangeAt: &ten}, 150 * time.Second, 150},
		{"spike during it", Traffic{Profile: ProfileSpike, RPS: 50, PeakRPS: 300, DayLength: day, StartHour: Clock(8, 0), ChangeAt: &ten, SpikeDuration: D(time.Minute)}, 150 * time.Second, 300},
		{"spike after it", Traffic{Profile: ProfileSpike, RPS: 50, PeakRPS: 300, DayLength: day, StartHour: Clock(8, 0), ChangeAt: &ten, SpikeDuration: D(time.Minute)}, 190 * time.Second, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.traffic.Pacer(time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := p.Rate(tt.at); math.Abs(got-tt.want) > 1e-6*tt.want {
				t.Errorf("rate at %s = %g, want %g", tt.at, got, tt.want)
			}
		})
	}
}
