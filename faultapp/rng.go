package faultapp

import (
	"math/rand/v2"
	"sync/atomic"

	"github.com/coalmine/coalmine/faults"
)

// RNG is a seedable, goroutine-safe and lock-free pseudo-random source:
// SplitMix64 over an atomically advanced counter. One atomic add and a few
// multiplications per draw; draws from concurrent goroutines never repeat
// and the sequence of draws is fixed by the seed.
type RNG struct {
	state atomic.Uint64
	rand  *rand.Rand
}

// NewRNG returns an RNG seeded with seed.
func NewRNG(seed uint64) *RNG {
	r := &RNG{}
	r.state.Store(seed)
	r.rand = rand.New(r) // rand.Rand keeps no state besides its source
	return r
}

// Uint64 returns a uniformly distributed 64-bit value (rand.Source).
func (r *RNG) Uint64() uint64 {
	return faults.Mix64(r.state.Add(0x9e3779b97f4a7c15))
}

// Float64 returns a uniform value in [0, 1).
func (r *RNG) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// NormFloat64 returns a standard normal value.
func (r *RNG) NormFloat64() float64 { return r.rand.NormFloat64() }
