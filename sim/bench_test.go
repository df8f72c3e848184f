package sim

import (
	"context"
	"testing"
)

// BenchmarkRunProduction is one production-time run of bad-release-5xx
// under classic-steps (about 2.9 M requests), scored.
func BenchmarkRunProduction(b *testing.B) {
	s, sts := load(b, "bad-release-5xx", "classic-steps")
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), s, sts, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunKindScale is the same at the scenario's own time scale.
func BenchmarkRunKindScale(b *testing.B) {
	s, sts := load(b, "bad-release-5xx", "classic-steps")
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), s, sts, Options{Seed: 1, TimeScale: 144}); err != nil {
			b.Fatal(err)
		}
	}
}
