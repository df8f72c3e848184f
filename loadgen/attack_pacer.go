package loadgen

import (
	"sync/atomic"
	"time"
)

// StopReason says why an attack ended.
type StopReason string

// Stop reasons.
const (
	StopDuration    StopReason = "duration"     // Duration elapsed
	StopMaxRequests StopReason = "max-requests" // MaxRequests sent
	StopPacer       StopReason = "pacer"        // the pacer's schedule ended
	StopCanceled    StopReason = "canceled"     // the context was canceled
	StopError       StopReason = "error"        // the record sink failed
)

// sleepInPace: waits longer than this are slept inside Pace, interruptibly,
// so that a cancellation is noticed within about this long even when the
// pacer has a long gap (vegeta's own sleep cannot be interrupted).
const sleepInPace = 20 * time.Millisecond

// boundedPacer wraps the user's pacer for one attack: it enforces the
// duration and request bounds, skips hits more than maxLag late, and stops
// on done. vegeta calls Pace from a single goroutine.
type boundedPacer struct {
	p        Pacer
	duration time.Duration
	maxHits  uint64
	maxLag   time.Duration
	done     <-chan struct{}

	skipped atomic.Uint64
	reason  atomic.Value // StopReason
}

// Rate implements vegeta.Pacer.
func (b *boundedPacer) Rate(elapsed time.Duration) float64 { return b.p.Rate(elapsed) }

// Pace implements vegeta.Pacer.
func (b *boundedPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	switch {
	case b.canceled():
		return b.stop(StopCanceled)
	case hits >= b.maxHits:
		return b.stop(StopMaxRequests)
	case elapsed >= b.duration:
		return b.stop(StopDuration)
	}
	scheduled := hits + b.skipLate(elapsed, hits)
	wait, stop := b.p.Pace(elapsed, scheduled)
	switch {
	case stop:
		return b.stop(StopPacer)
	case elapsed+wait >= b.duration:
		return b.stop(StopDuration)
	case wait > sleepInPace:
		return b.sleep(wait)
	}
	return wait, false
}

// skipLate counts hits due more than maxLag ago that were never sent and
// returns the total skipped so far.
func (b *boundedPacer) skipLate(elapsed time.Duration, hits uint64) uint64 {
	skipped := b.skipped.Load()
	if b.maxLag < 0 || elapsed <= b.maxLag {
		return skipped
	}
	if due := uint64(b.p.Hits(elapsed - b.maxLag)); due > hits+skipped {
		skipped = due - hits
		b.skipped.Store(skipped)
	}
	return skipped
}

// sleep waits most of wait unless done, and returns the rest for vegeta.
func (b *boundedPacer) sleep(wait time.Duration) (time.Duration, bool) {
	deadline := time.Now().Add(wait)
	t := time.NewTimer(wait - sleepInPace/2)
	defer t.Stop()
	select {
	case <-b.done:
		return b.stop(StopCanceled)
	case <-t.C:
		return max(time.Until(deadline), 0), false
	}
}

func (b *boundedPacer) canceled() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

func (b *boundedPacer) stop(r StopReason) (time.Duration, bool) {
	b.reason.CompareAndSwap(nil, r)
	return 0, true
}

// Reason returns why the pacer stopped ("" while running).
func (b *boundedPacer) Reason() StopReason {
	r, _ := b.reason.Load().(StopReason)
	return r
}
