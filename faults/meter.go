package faults

import (
	"sync/atomic"
	"time"
)

// Meter counts requests in 500 ms buckets to tell the mean request
// rate of the last 10 seconds. A load-dependent bug needs sustained load:
// over a single second, Poisson noise alone (±4.6 at 21 rps) would switch
// a minRPS fault on far below its threshold. Lock-free: each bucket packs
// its epoch (high 32 bits) and its count (low 32 bits) in one atomic word.
// It is how a minRPS error fault measures the load of a process.
type Meter struct {
	start time.Time
	ring  [32]atomic.Uint64
}

// NewMeter returns a meter of a process started at start.
func NewMeter(start time.Time) *Meter { return &Meter{start: start} }

const (
	meterBucket = 500 * time.Millisecond
	// MeterWindow is the span the request rate is averaged over.
	MeterWindow = 10 * time.Second
	meterWindow = int64(MeterWindow / meterBucket)
)

func (m *Meter) epoch(now time.Time) (int64, float64) {
	d := now.Sub(m.start)
	if d < 0 {
		d = 0
	}
	return int64(d / meterBucket), float64(d%meterBucket) / float64(meterBucket)
}

// Add counts one request at now.
func (m *Meter) Add(now time.Time) {
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

// Rate returns the requests per second over the MeterWindow before now:
// the current and the previous buckets, plus the part of the oldest bucket
// still inside the window. A process younger than the window counts the
// time before it started as idle.
func (m *Meter) Rate(now time.Time) float64 {
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
	return sum / MeterWindow.Seconds()
}
