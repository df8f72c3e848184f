package run

import (
	"fmt"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/scenarios"
)

// pacer returns the validated loadgen pacer of the scenario's traffic
// profile, with elapsed 0 at the scenario's start hour. horizon bounds the
// step profile's last step (it must outlast the attack).
func pacer(t scenarios.Traffic, horizon time.Duration) (loadgen.Pacer, error) {
	spec := loadgen.ProfileSpec{
		Profile: string(t.Profile), RPS: t.RPS, TroughRPS: t.TroughRPS, PeakRPS: t.PeakRPS,
		Day: t.DayLength.Duration, StartHour: t.StartHour.Hours(), Hourly: t.Hourly,
	}
	if t.PeakHour != nil {
		spec.PeakHour = t.PeakHour.Hours()
	}
	switch t.Profile {
	case scenarios.ProfileStep:
		spec.Steps = stepRates(
			loadgen.StepRate{Duration: changeAfter(t), RPS: t.RPS},
			loadgen.StepRate{Duration: horizon, RPS: t.PeakRPS},
		)
	case scenarios.ProfileSpike:
		spec.SpikeAt, spec.SpikeFor = changeAfter(t), t.SpikeDuration.Duration
	}
	p, err := spec.Pacer()
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	return p, nil
}

// changeAfter is the real time from traffic start to ChangeAt.
func changeAfter(t scenarios.Traffic) time.Duration {
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

// mix converts the scenario's endpoints to loadgen's request mix.
func mix(eps []scenarios.Endpoint) loadgen.Mix {
	m := make(loadgen.Mix, len(eps))
	for i, e := range eps {
		m[i] = loadgen.Endpoint{Name: e.Name, Method: e.Method, Path: e.Path, Weight: e.Weight}
	}
	return m
}

// attackConfig is the bounded attack of one strategy against target,
// lasting at most maxDuration.
func attackConfig(s *scenarios.Scenario, target string, seed int64, maxDuration time.Duration) (loadgen.AttackConfig, error) {
	t := s.Spec.Traffic
	p, err := pacer(t, maxDuration)
	if err != nil {
		return loadgen.AttackConfig{}, err
	}
	return loadgen.AttackConfig{
		Target:     target,
		Pacer:      p,
		Mix:        mix(t.Endpoints),
		Users:      loadgen.Population{Count: t.Users.Count, Skew: t.Users.Skew},
		Seed:       seed,
		Duration:   maxDuration,
		MaxWorkers: uint64(t.Workers),
		Timeout:    t.Timeout.Duration,
		// Spread requests, not connections, over the Service's pods, so
		// the canary's share follows its replica ratio.
		ConnectionPerRequest: true,
	}, nil
}
