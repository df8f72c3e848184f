package faultapp

import (
	"sync/atomic"
	"time"

	"github.com/coalmine/coalmine/faults"
)

// Decision is what the faults do to one API request.
type Decision struct {
	// Status is the injected error status, 0 for none.
	Status int
	// Delay is the injected latency.
	Delay time.Duration
	// Burn is the CPU time of busy work to do.
	Burn time.Duration
	// Leak is the number of bytes to retain.
	Leak int64
	// ExitCode, when non-zero, means the process dies now with it.
	ExitCode int
}

// plan is a validated Faults compiled for cheap per-request decisions.
type plan struct {
	faults    *faults.Faults
	errRoutes routeSet
	latRoutes routeSet
	latency   latencySampler
}

func newPlan(f *faults.Faults) *plan {
	p := &plan{faults: f}
	if e := f.Errors; e != nil {
		p.errRoutes = newRouteSet(e.Paths)
	}
	if l := f.Latency; l != nil {
		p.latRoutes = newRouteSet(l.Paths)
		p.latency = newLatencySampler(l)
	}
	return p
}

// decider makes the per-request fault decisions. It is goroutine-safe;
// its plan is swapped atomically.
type decider struct {
	clock    Clock
	start    time.Time
	rng      *RNG
	meter    rateMeter
	requests atomic.Int64
	plan     atomic.Pointer[plan]
}

func newDecider(clock Clock, seed uint64, f *faults.Faults) *decider {
	d := &decider{clock: clock, start: clock.Now(), rng: NewRNG(seed)}
	d.meter.start = d.start
	d.plan.Store(newPlan(f))
	return d
}

// decide counts one request to route (a routeID) from user and decides
// what the faults do to it.
func (d *decider) decide(route int, user string) Decision {
	now := d.clock.Now()
	d.meter.Add(now)
	n := d.requests.Add(1)
	p := d.plan.Load()
	f, up := p.faults, now.Sub(d.start)
	var dec Decision
	if e := f.Errors; e != nil && p.errRoutes.has(route) && d.errorsOn(e, user, now, up) {
		dec.Status = e.Status
	}
	if l := f.Latency; l != nil && p.latRoutes.has(route) && up >= l.After.D() && d.rng.Float64() < l.Share {
		dec.Delay = p.latency.sample(d.rng)
	}
	if c := f.CPU; c != nil {
		dec.Burn = c.PerRequest.D()
	}
	if l := f.Leak; l != nil {
		dec.Leak = l.BytesPerRequest
	}
	if c := f.Crash; c != nil && c.Requests > 0 && n >= c.Requests {
		dec.ExitCode = c.ExitCode
	}
	return dec
}

// errorsOn decides whether an eligible request gets an injected error.
// Cheap conditions go first; the RNG is drawn only when all hold.
func (d *decider) errorsOn(e *faults.ErrorFault, user string, now time.Time, up time.Duration) bool {
	switch {
	case up < e.After.D():
		return false
	case e.Cohort > 0 && !faults.InCohort(user, e.Cohort):
		return false
	case e.MinRPS > 0 && d.meter.Rate(now) <= e.MinRPS:
		return false
	}
	return d.rng.Float64() < e.Rate
}

// ready reports whether /readyz succeeds now.
func (d *decider) ready() bool {
	r := d.plan.Load().faults.Readiness
	return r == nil || d.clock.Now().Sub(d.start) < r.After.D()
}

// faults returns the live faults (shared: do not modify).
func (d *decider) faults() *faults.Faults { return d.plan.Load().faults }

// setFaults swaps in validated faults.
func (d *decider) setFaults(f *faults.Faults) { d.plan.Store(newPlan(f)) }
