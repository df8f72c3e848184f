// Package stattest holds the statistical assertions of tests that check
// seeded random draws (faults' latency samplers, faultapp's decisions, the
// simulator's traffic). Layer 0.
package stattest

import (
	"math"
	"testing"
)

// Sigmas is the tolerance of every assertion, in standard deviations.
// Draws are seeded, so the tests are deterministic; the tolerance says the
// seed is not cherry-picked.
const Sigmas = 4

// Share checks that hits out of n matches probability p within Sigmas
// binomial standard deviations.
func Share(t testing.TB, what string, hits, n int, p float64) {
	t.Helper()
	sd := math.Sqrt(float64(n) * p * (1 - p))
	want := float64(n) * p
	if math.Abs(float64(hits)-want) > Sigmas*sd {
		t.Errorf("%s: %d of %d (%.4f), want %.4f ± %d·σ (σ = %.1f)", what, hits, n, float64(hits)/float64(n), p, Sigmas, sd)
	}
}

// Mean checks a sample mean against mu within Sigmas standard errors,
// given the distribution's standard deviation sd.
func Mean(t testing.TB, what string, got, mu, sd float64, n int) {
	t.Helper()
	se := sd / math.Sqrt(float64(n))
	if math.Abs(got-mu) > Sigmas*se {
		t.Errorf("%s: mean %.4g, want %.4g ± %d·%.3g", what, got, mu, Sigmas, se)
	}
}
