package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestWilson(t *testing.T) {
	// Reference values (Wilson 1927; e.g. Newcombe 1998, table I).
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, tt := range tests {
		r := NewRate(tt.k, tt.n)
		if math.Abs(r.Lo-tt.lo) > 5e-4 || math.Abs(r.Hi-tt.hi) > 5e-4 {
			t.Errorf("%d/%d: [%.4f, %.4f], want [%.4f, %.4f]", tt.k, tt.n, r.Lo, r.Hi, tt.lo, tt.hi)
		}
	}
}

func TestSketchQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s sketch
	var xs []float64
	for range 20000 {
		x := math.Exp(r.NormFloat64()) * 30
		if r.IntN(10) == 0 {
			x = 0
		}
		s.add(x)
		xs = append(xs, x)
	}
	slices.Sort(xs)
	for _, q := range []float64{0.05, 0.1, 0.5, 0.9, 0.95} {
		want := xs[int(math.Ceil(q*float64(len(xs))))-1]
		if got := s.quantile(q); math.Abs(got-want) > 0.01*want+1e-9 {
			t.Errorf("q%.2f = %.4f, want %.4f ± 1 %%", q, got, want)
		}
	}
	if len(s.bins) > 2000 {
		t.Errorf("%d bins for 20000 values: not bounded", len(s.bins))
	}
}
