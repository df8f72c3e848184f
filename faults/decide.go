package faults

import "time"

// Decision is what the faults do to one request.
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

// Request is what a decision depends on.
type Request struct {
	// Route is the route id (see RouteID).
	Route int
	// User is the request's user ("" for none).
	User string
	// Up is how long the process has been running.
	Up time.Duration
	// RPS is the process' recent request rate (for minRPS).
	RPS float64
	// N counts the process' requests, this one included.
	N int64
}

// Rand is the random source decisions draw from.
type Rand interface {
	Float64() float64
	NormFloat64() float64
}

// Plan is a validated Faults compiled for cheap per-request decisions:
// the one place a fault model turns into what happens to a request, for
// faultapp's server and for the simulator alike.
type Plan struct {
	faults    *Faults
	errRoutes routeSet
	latRoutes routeSet
	latency   latencySampler
}

// NewPlan compiles f (validated, defaulted).
func NewPlan(f *Faults) *Plan {
	p := &Plan{faults: f}
	if e := f.Errors; e != nil {
		p.errRoutes = newRouteSet(e.Paths)
	}
	if l := f.Latency; l != nil {
		p.latRoutes = newRouteSet(l.Paths)
		p.latency = newLatencySampler(l)
	}
	return p
}

// Faults returns the plan's fault model (shared: do not modify).
func (p *Plan) Faults() *Faults { return p.faults }

// Decide decides what the faults do to request r, drawing from rng.
func (p *Plan) Decide(r Request, rng Rand) Decision {
	f := p.faults
	var dec Decision
	if e := f.Errors; e != nil && p.errRoutes.has(r.Route) && errorsOn(e, r, rng) {
		dec.Status = e.Status
	}
	if l := f.Latency; l != nil && p.latRoutes.has(r.Route) && r.Up >= l.After.D() && rng.Float64() < l.Share {
		dec.Delay = p.latency.sample(rng)
	}
	if c := f.CPU; c != nil {
		dec.Burn = c.PerRequest.D()
	}
	if l := f.Leak; l != nil {
		dec.Leak = l.BytesPerRequest
	}
	if c := f.Crash; c != nil && c.Requests > 0 && r.N >= c.Requests {
		dec.ExitCode = c.ExitCode
	}
	return dec
}

// Ready reports whether the readiness probe succeeds after up.
func (p *Plan) Ready(up time.Duration) bool {
	r := p.faults.Readiness
	return r == nil || up < r.After.D()
}

// errorsOn decides whether an eligible request gets an injected error.
// Cheap conditions go first; the RNG is drawn only when all hold.
func errorsOn(e *ErrorFault, r Request, rng Rand) bool {
	switch {
	case r.Up < e.After.D():
		return false
	case e.Cohort > 0 && !InCohort(r.User, e.Cohort):
		return false
	case e.MinRPS > 0 && r.RPS <= e.MinRPS:
		return false
	}
	return rng.Float64() < e.Rate
}

// RouteID returns the id of a route template (its index in Routes).
func RouteID(route string) (int, bool) {
	for i, r := range Routes() {
		if r == route {
			return i, true
		}
	}
	return 0, false
}

// routeSet is a set of route ids; the empty set means every route.
type routeSet uint8

func newRouteSet(paths []string) routeSet {
	var s routeSet
	for _, p := range paths {
		if id, ok := RouteID(p); ok {
			s |= 1 << id
		}
	}
	return s
}

// has reports whether route id is in s (always true for the empty set).
func (s routeSet) has(id int) bool { return s == 0 || s&(1<<id) != 0 }
