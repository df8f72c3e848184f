package scenarios

import (
	"fmt"
	"time"

	"github.com/coalmine/coalmine/loadgen"
)

// Pacer returns the validated loadgen pacer of the traffic profile, with
// elapsed 0 at the start hour. horizon bounds the step profile's last step
// (it must outlast the attack).
func (t Traffic) Pacer(horizon time.Duration) (loadgen.Pacer, error) {
	spec := loadgen.ProfileSpec{
		Profile: string(t.Profile), RPS: t.RPS, TroughRPS: t.TroughRPS, PeakRPS: t.PeakRPS,
		Day: t.DayLength.Duration, StartHour: t.StartHour.Hours(), Hourly: t.Hourly,
	}
	if t.PeakHour != nil {
		spec.PeakHour = t.PeakHour.Hours()
	}
	switch t.Profile {
	case ProfileStep:
		spec.Steps = stepRates(
			loadgen.StepRate{Duration: t.changeAfter(), RPS: t.RPS},
			loadgen.StepRate{Duration: horizon, RPS: t.PeakRPS},
		)
	case ProfileSpike:
		spec.SpikeAt, spec.SpikeFor = t.changeAfter(), t.SpikeDuration.Duration
	}
	p, err := spec.Pacer()
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	return p, nil
}

// changeAfter is the real time from traffic start to ChangeAt.
func (t Traffic) changeAfter() time.Duration {
	if t.ChangeAt == nil {
		return 0
	}
	return t.Until(0, *t.ChangeAt)
}

// stepRates drops zero-length steps (a change at the start hour).
func stepRates(steps ...loadgen.StepRate) []loadgen.StepRate {
	var out []loadgen.StepRate
	for _, s := range steps {
		if s.Duration > 0 {
			out = append(out, s)
		}
	}
	return out
}

// Mix is the request mix in loadgen's terms.
func (t Traffic) Mix() loadgen.Mix {
	m := make(loadgen.Mix, len(t.Endpoints))
	for i, e := range t.Endpoints {
		m[i] = loadgen.Endpoint{Name: e.Name, Method: e.Method, Path: e.Path, Weight: e.Weight}
	}
	return m
}
