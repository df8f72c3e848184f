package faultapp

import (
	"sync/atomic"
	"time"
)

// rateMeter counts requests in 100 ms buckets to tell the request rate of
// the last second. Lock-free: each bucket packs its epoch (high 32 bits)
// and its count (low 32 bits) in one atomic word.
type rateMeter struct {
	start time.Time
	ring  [16]atomic.Uint64
}

const (
	meterBucket = 100 * time.Millisecond
	meterWindow = int64(time.Second / meterBucket)
)

func (m *rateMeter) epoch(now time.Time) (int64, float64) {
	d := now.Sub(m.start)
	if d < 0 {
		d = 0
	}
	return int64(d / meterBucket), float64(d%meterBucket) / float64(meterBucket)
}

// Add counts one request at now.
func (m *rateMeter) Add(now time.Time) {
	e, _ := m.epoch(now)
	b := &m.ring[e%int64(len(m.ring))]
	for {
		old := b.Load()
		next := uint64(e)<<32 | 1
		if int64(old>>32) == e {
			next = old + 1
		}
		if b.CompareAndSwap(old, next) {
			return
		}
	}
}

// Rate returns the requests per second over the second before now: the
// current and nine previous buckets, plus the part of the oldest bucket
// still inside the window.
func (m *rateMeter) Rate(now time.Time) float64 {
	e, frac := m.epoch(now)
	var sum float64
	for back := int64(0); back <= meterWindow && back <= e; back++ {
		v := m.ring[(e-back)%int64(len(m.ring))].Load()
		if int64(v>>32) != e-back {
			continue
		}
		n := float64(uint32(v))
		if back == meterWindow {
			n *= 1 - frac
		}
		sum += n
	}
	return sum
}
