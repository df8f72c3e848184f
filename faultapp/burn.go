package faultapp

import (
	"runtime"
	"time"
)

// burnCPU does busy work until the calling thread has used d of CPU time
// (wall time where the OS has no per-thread CPU clock), so a CPU-throttled
// container takes longer, like a real CPU-heavy bug. The goroutine stays
// on its thread meanwhile. The result only defeats dead-code elimination.
func burnCPU(d time.Duration) uint64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	x := uint64(d) | 1
	for start := threadCPU(); threadCPU()-start < d; {
		for range 1000 { // ~1 µs of xorshift between clock reads
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
	}
	return x
}
