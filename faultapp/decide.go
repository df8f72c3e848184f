package faultapp

import (
	"sync/atomic"
	"time"

	"github.com/coalmine/coalmine/faults"
)

// Decision is what the faults do to one API request (faults.Decision).
type Decision = faults.Decision

// decider makes the per-request fault decisions of the running process
// with the fault model's own Plan. It is goroutine-safe; its plan is
// swapped atomically.
type decider struct {
	clock    Clock
	start    time.Time
	rng      *RNG
	meter    *faults.Meter
	requests atomic.Int64
	plan     atomic.Pointer[faults.Plan]
}

func newDecider(clock Clock, seed uint64, f *faults.Faults) *decider {
	d := &decider{clock: clock, start: clock.Now(), rng: NewRNG(seed)}
	d.meter = faults.NewMeter(d.start)
	d.plan.Store(faults.NewPlan(f))
	return d
}

// decide counts one request to route (a routeID) from user and decides
// what the faults do to it.
func (d *decider) decide(route int, user string) Decision {
	now := d.clock.Now()
	d.meter.Add(now)
	r := faults.Request{Route: route, User: user, Up: now.Sub(d.start), N: d.requests.Add(1)}
	if e := d.plan.Load().Faults().Errors; e != nil && e.MinRPS > 0 {
		r.RPS = d.meter.Rate(now)
	}
	return d.plan.Load().Decide(r, d.rng)
}

// ready reports whether /readyz succeeds now.
func (d *decider) ready() bool { return d.plan.Load().Ready(d.clock.Now().Sub(d.start)) }

// faults returns the live faults (shared: do not modify).
func (d *decider) faults() *faults.Faults { return d.plan.Load().Faults() }

// setFaults swaps in validated faults.
func (d *decider) setFaults(f *faults.Faults) { d.plan.Store(faults.NewPlan(f)) }
