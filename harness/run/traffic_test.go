package run

import (
	"math"
	"testing"
	"time"

	"github.com/coalmine/coalmine/scenarios"
)

func TestPacerFollowsProfile(t *testing.T) {
	noon := scenarios.Clock(12, 0)
	ten := scenarios.Clock(10, 0)
	day := scenarios.D(24 * time.Minute) // one simulated hour per real minute
	tests := []struct {
		name    string
		traffic scenarios.Traffic
		at      time.Duration
		want    float64
	}{
		{"diurnal at the start hour (trough)", scenarios.Traffic{Profile: scenarios.ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon}, 0, 40},
		{"diurnal at the peak, 12 simulated hours later", scenarios.Traffic{Profile: scenarios.ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon}, 12 * time.Minute, 200},
		{"diurnal starting at 09:00, at noon", scenarios.Traffic{Profile: scenarios.ProfileDiurnal, TroughRPS: 40, PeakRPS: 200, DayLength: day, PeakHour: &noon, StartHour: scenarios.Clock(9, 0)}, 3 * time.Minute, 200},
		{"constant", scenarios.Traffic{Profile: scenarios.ProfileConstant, RPS: 75, DayLength: day}, 5 * time.Minute, 75},
		{"step before the change", scenarios.Traffic{Profile: scenarios.ProfileStep, RPS: 50, PeakRPS: 150, DayLength: day, StartHour: scenarios.Clock(8, 0), ChangeAt: &ten}, 90 * time.Second, 50},
		{"step after the change", scenarios.Traffic{Profile: scenarios.ProfileStep, RPS: 50, PeakRPS: 150, DayLength: day, StartHour: scenarios.Clock(8, 0), ChangeAt: &ten}, 150 * time.Second, 150},
		{"spike during it", scenarios.Traffic{Profile: scenarios.ProfileSpike, RPS: 50, PeakRPS: 300, DayLength: day, StartHour: scenarios.Clock(8, 0), ChangeAt: &ten, SpikeDuration: scenarios.D(time.Minute)}, 150 * time.Second, 300},
		{"spike after it", scenarios.Traffic{Profile: scenarios.ProfileSpike, RPS: 50, PeakRPS: 300, DayLength: day, StartHour: scenarios.Clock(8, 0), ChangeAt: &ten, SpikeDuration: scenarios.D(time.Minute)}, 190 * time.Second, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := pacer(tt.traffic, time.Hour)
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
