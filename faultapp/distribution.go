package faultapp

import (
	"math"
	"time"

	"github.com/coalmine/coalmine/faults"
)

// latencySampler draws delays for a validated LatencyFault. Parameters are
// kept in nanoseconds as float64.
type latencySampler struct {
	dist     string
	a, b     float64 // fixed: mean; uniform: min, max; normal: mean, stddev; lognormal: μ, σ of log; pareto: scale, shape
	min, max float64
}

func newLatencySampler(l *faults.LatencyFault) latencySampler {
	s := latencySampler{dist: l.Distribution, min: float64(l.Min), max: float64(l.Max)}
	if l.Max == 0 {
		s.max = float64(faults.LatencyCap)
	}
	switch l.Distribution {
	case faults.DistFixed:
		s.a = float64(l.Mean)
	case faults.DistUniform:
		s.a, s.b = float64(l.Min), float64(l.Max)
	case faults.DistNormal:
		s.a, s.b = float64(l.Mean), float64(l.Stddev)
	case faults.DistLognormal:
		s.a, s.b = lognormalParams(float64(l.Mean), float64(l.Stddev))
	case faults.DistPareto:
		s.a, s.b = float64(l.Scale), l.Shape
	}
	return s
}

// lognormalParams returns μ and σ of the logarithm of a log-normal
// variable with the given mean and standard deviation.
func lognormalParams(mean, stddev float64) (mu, sigma float64) {
	s2 := math.Log1p((stddev / mean) * (stddev / mean))
	return math.Log(mean) - s2/2, math.Sqrt(s2)
}

// sample draws one delay, clamped to [min, max].
func (s latencySampler) sample(r *RNG) time.Duration {
	var v float64
	switch s.dist {
	case faults.DistFixed:
		v = s.a
	case faults.DistUniform:
		v = s.a + r.Float64()*(s.b-s.a)
	case faults.DistNormal:
		v = s.a + s.b*r.NormFloat64()
	case faults.DistLognormal:
		v = math.Exp(s.a + s.b*r.NormFloat64())
	case faults.DistPareto:
		v = s.a / math.Pow(1-r.Float64(), 1/s.b)
	}
	return time.Duration(math.Min(math.Max(v, s.min), s.max))
}
