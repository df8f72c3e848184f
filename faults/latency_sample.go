package faults

import (
	"math"
	"time"
)

// latencySampler draws delays for a validated LatencyFault. Parameters are
// kept in nanoseconds as float64.
type latencySampler struct {
	dist     string
	a, b     float64 // fixed: mean; uniform: min, max; normal: mean, stddev; lognormal: μ, σ of log; pareto: scale, shape
	min, max float64
}

func newLatencySampler(l *LatencyFault) latencySampler {
	s := latencySampler{dist: l.Distribution, min: float64(l.Min), max: float64(l.Max)}
	if l.Max == 0 {
		s.max = float64(LatencyCap)
	}
	switch l.Distribution {
	case DistFixed:
		s.a = float64(l.Mean)
	case DistUniform:
		s.a, s.b = float64(l.Min), float64(l.Max)
	case DistNormal:
		s.a, s.b = float64(l.Mean), float64(l.Stddev)
	case DistLognormal:
		s.a, s.b = lognormalParams(float64(l.Mean), float64(l.Stddev))
	case DistPareto:
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
func (s latencySampler) sample(r Rand) time.Duration {
	var v float64
	switch s.dist {
	case DistFixed:
		v = s.a
	case DistUniform:
		v = s.a + r.Float64()*(s.b-s.a)
	case DistNormal:
		v = s.a + s.b*r.NormFloat64()
	case DistLognormal:
		v = math.Exp(s.a + s.b*r.NormFloat64())
	case DistPareto:
		v = s.a / math.Pow(1-r.Float64(), 1/s.b)
	}
	return time.Duration(math.Min(math.Max(v, s.min), s.max))
}
