package run

import (
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/scenarios"
)

// attackConfig is the bounded attack of one strategy against target,
// lasting at most maxDuration.
func attackConfig(s *scenarios.Scenario, target string, seed int64, maxDuration time.Duration) (loadgen.AttackConfig, error) {
	t := s.Spec.Traffic
	p, err := t.Pacer(maxDuration)
	if err != nil {
		return loadgen.AttackConfig{}, err
	}
	return loadgen.AttackConfig{
		Target:     target,
		Pacer:      p,
		Mix:        t.Mix(),
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
