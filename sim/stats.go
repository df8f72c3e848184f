package sim

import (
	"math"
	"sort"

	"github.com/coalmine/coalmine/results"
)

// wilsonZ is the normal quantile of a two-sided 95 % interval.
const wilsonZ = 1.959963984540054

// NewRate returns k of n with its Wilson 95 % interval.
func NewRate(k, n int) results.Rate {
	r := results.Rate{K: k, N: n}
	if n == 0 {
		return r
	}
	nf, p := float64(n), float64(k)/float64(n)
	z2 := wilsonZ * wilsonZ
	center := (p + z2/(2*nf)) / (1 + z2/nf)
	half := wilsonZ / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	r.P, r.Lo, r.Hi = p, math.Max(0, center-half), math.Min(1, center+half)
	return r
}

// sketch is a streaming distribution of non-negative values in bounded
// memory: counts per logarithmic bin (1 % wide), exact for zero. Its
// quantiles are within 1 % of the true ones.
type sketch struct {
	zero int
	bins map[int]int
	n    int
}

const sketchBase = 1.01

func (s *sketch) add(x float64) {
	if s.bins == nil {
		s.bins = map[int]int{}
	}
	s.n++
	if x <= 0 {
		s.zero++
		return
	}
	s.bins[int(math.Floor(math.Log(x)/math.Log(sketchBase)))]++
}

// quantile returns the q-quantile (q in [0, 1]); NaN when empty.
func (s *sketch) quantile(q float64) float64 {
	if s.n == 0 {
		return math.NaN()
	}
	rank := int(math.Ceil(q * float64(s.n)))
	if rank <= s.zero {
		return 0
	}
	keys := make([]int, 0, len(s.bins))
	for k := range s.bins {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	seen := s.zero
	for _, k := range keys {
		seen += s.bins[k]
		if seen >= rank {
			return math.Pow(sketchBase, float64(k)+0.5) // the bin's middle
		}
	}
	return math.Pow(sketchBase, float64(keys[len(keys)-1])+0.5)
}

func (s *sketch) spread() *results.Spread {
	if s.n == 0 {
		return nil
	}
	return &results.Spread{N: s.n, P5: s.quantile(0.05), P10: s.quantile(0.10), Median: s.quantile(0.5),
		P90: s.quantile(0.90), P95: s.quantile(0.95)}
}
