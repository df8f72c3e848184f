//go:build !linux

package faultapp

import "time"

var burnEpoch = time.Now()

// threadCPU falls back to monotonic wall time where there is no
// per-thread CPU clock.
func threadCPU() time.Duration { return time.Since(burnEpoch) }
