package faults

import (
	"math"
	"sort"
	"testing"
	"time"

	"github.com/coalmine/coalmine/internal/stattest"

	"math/rand/v2"
)

func TestLatencyDistributions(t *testing.T) {
	const n = 20000
	ms := float64(time.Millisecond)
	tests := []struct {
		name     string
		faults   string
		min, max time.Duration // every sample in [min, max]
		check    func(t *testing.T, s []float64)
	}{
		{"fixed", `latency: {distribution: fixed, mean: 25ms}`, 25 * time.Millisecond, 25 * time.Millisecond, nil},
		{"uniform", `latency: {distribution: uniform, min: 10ms, max: 20ms}`, 10 * time.Millisecond, 20 * time.Millisecond,
			func(t *testing.T, s []float64) {
				stattest.Mean(t, "uniform", mean(s), 15*ms, 10*ms/math.Sqrt(12), len(s))
			}},
		{"normal", `latency: {distribution: normal, mean: 50ms, stddev: 10ms}`, 0, LatencyCap,
			func(t *testing.T, s []float64) {
				stattest.Mean(t, "normal", mean(s), 50*ms, 10*ms, len(s))
				if sd := stddev(s); math.Abs(sd-10*ms) > 0.05*10*ms {
					t.Errorf("normal stddev %.3gms, want 10ms ± 5%%", sd/ms)
				}
			}},
		{"normal clamped at 0", `latency: {distribution: normal, mean: 10ms, stddev: 50ms}`, 0, LatencyCap, nil},
		{"lognormal", `latency: {distribution: lognormal, mean: 200ms, stddev: 100ms}`, 0, LatencyCap,
			func(t *testing.T, s []float64) {
				stattest.Mean(t, "lognormal", mean(s), 200*ms, 100*ms, len(s))
				mu, _ := lognormalParams(200*ms, 100*ms) // the median is e^μ
				stattest.Share(t, "lognormal below median", countBelow(s, math.Exp(mu)), len(s), 0.5)
			}},
		{"pareto", `latency: {distribution: pareto, scale: 10ms, shape: 2}`, 10 * time.Millisecond, LatencyCap,
			func(t *testing.T, s []float64) {
				// P(X > 2·scale) = 2^-shape
				stattest.Share(t, "pareto tail", len(s)-countBelow(s, 20*ms), len(s), 0.25)
			}},
		{"pareto capped by max", `latency: {distribution: pareto, scale: 10ms, shape: 0.5, max: 100ms}`, 10 * time.Millisecond, 100 * time.Millisecond, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFaults(t, tt.faults)
			smp, rng := newLatencySampler(f.Latency), rand.New(rand.NewPCG(11, 0))
			s := make([]float64, n)
			for i := range s {
				d := smp.sample(rng)
				if d < tt.min || d > tt.max {
					t.Fatalf("sample %v outside [%v, %v]", d, tt.min, tt.max)
				}
				s[i] = float64(d)
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

func mean(s []float64) float64 {
	var sum float64
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}

func stddev(s []float64) float64 {
	m, sum := mean(s), 0.0
	for _, v := range s {
		sum += (v - m) * (v - m)
	}
	return math.Sqrt(sum / float64(len(s)-1))
}

func countBelow(s []float64, x float64) int {
	c := append([]float64(nil), s...)
	sort.Float64s(c)
	return sort.SearchFloat64s(c, x)
}
