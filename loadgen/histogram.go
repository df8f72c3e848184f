package loadgen

import (
	"math"
	"math/bits"
	"time"
)

// Latency histogram: log-linear buckets over nanoseconds, 32 linear
// sub-buckets per power of two, so any value is known within 1/64 (1.6 %)
// of itself; values from 0 to about 73 minutes, larger ones clamp.
const (
	histSubBits = 5
	histSub     = 1 << histSubBits
	histMaxExp  = 36
	histBuckets = (histMaxExp + 2) * histSub
)

// histogram counts latencies in fixed memory (about 5 KB).
type histogram struct {
	counts [histBuckets]uint32
	n      uint64
	sum    float64 // ns, for the mean
	max    time.Duration
}

func histIndex(v time.Duration) int {
	if v < histSub {
		return int(max(v, 0))
	}
	e := bits.Len64(uint64(v)) - histSubBits - 1 // v>>e in [32, 63]
	return min((e+1)*histSub+int(v>>e)-histSub, histBuckets-1)
}

// histValue is the middle of bucket i, in ns.
func histValue(i int) float64 {
	if i < histSub {
		return float64(i)
	}
	e := i/histSub - 1
	lo := float64(uint64(i%histSub+histSub) << e)
	return lo + (float64(uint64(1)<<e)-1)/2
}

func (h *histogram) add(v time.Duration) {
	h.counts[histIndex(v)]++
	h.n++
	h.sum += float64(v)
	h.max = max(h.max, v)
}

func (h *histogram) reset() { *h = histogram{} }

// quantile returns the q-quantile (nearest rank) in ns, 0 when empty.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return float64(h.max)
	}
	var seen uint64
	for i, c := range h.counts {
		if seen += uint64(c); seen >= rank {
			return min(histValue(i), float64(h.max))
		}
	}
	return float64(h.max)
}

func (h *histogram) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// nsToMs converts ns to milliseconds rounded to the microsecond.
func nsToMs(ns float64) float64 { return math.Round(ns/1e3) / 1e3 }
