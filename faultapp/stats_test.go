package faultapp

import (
	"math"
	"testing"
)

// sigmas is the tolerance of every statistical assertion, in standard
// deviations. All draws are seeded, so the tests are deterministic; the
// tolerance says the seed is not cherry-picked.
const sigmas = 4

// assertShare checks that hits out of n matches probability p within
// sigmas binomial standard deviations.
func assertShare(t *testing.T, what string, hits, n int, p float64) {
	t.Helper()
	sd := math.Sqrt(float64(n) * p * (1 - p))
	want := float64(n) * p
	if math.Abs(float64(hits)-want) > sigmas*sd {
		t.Errorf("%s: %d of %d (%.4f), want %.4f ± %d·σ (σ = %.1f requests)", what, hits, n, float64(hits)/float64(n), p, sigmas, sd)
	}
}

// assertMean checks a sample mean against mu within sigmas standard
// errors, given the distribution's standard deviation sd.
func assertMean(t *testing.T, what string, got, mu, sd float64, n int) {
	t.Helper()
	se := sd / math.Sqrt(float64(n))
	if math.Abs(got-mu) > sigmas*se {
		t.Errorf("%s: mean %.4g, want %.4g ± %d·%.3g", what, got, mu, sigmas, se)
	}
}
