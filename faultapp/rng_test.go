package faultapp

import (
	"sync"
	"testing"

	"github.com/coalmine/coalmine/internal/stattest"
)

func TestRNGConcurrentDrawsAreDistinct(t *testing.T) {
	r := NewRNG(1)
	const workers, each = 8, 2000
	out := make([][]uint64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				out[w] = append(out[w], r.Uint64())
			}
		})
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for _, vs := range out {
		for _, v := range vs {
			if seen[v] {
				t.Fatalf("value %d drawn twice", v)
			}
			seen[v] = true
		}
	}
}

func TestRNGFloat64Uniform(t *testing.T) {
	r := NewRNG(2)
	const n = 40000
	below := 0
	for range n {
		f := r.Float64()
		if f < 0 || f >= 1 {
			t.Fatalf("Float64 %v outside [0, 1)", f)
		}
		if f < 0.1 {
			below++
		}
	}
	stattest.Share(t, "draws below 0.1", below, n, 0.1)
}
