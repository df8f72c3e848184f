package faults

import (
	"math"
	"slices"
	"time"
)

// Validate checks a defaulted Faults and returns a *Error listing
// every problem with its field path, or nil.
func (f *Faults) Validate() error {
	if probs := f.validate(); len(probs) > 0 {
		return &Error{Problems: probs}
	}
	return nil
}

// Limits of Validate.
const (
	maxLeakPerRequest = 64 << 20
	maxCPUPerRequest  = 10 * time.Second
)

func (f *Faults) validate() problems {
	var ps problems
	if f == nil {
		return nil
	}
	if e := f.Errors; e != nil {
		e.validate(&ps, "errors")
	}
	if l := f.Latency; l != nil {
		l.validate(&ps, "latency")
	}
	if c := f.Crash; c != nil {
		c.validate(&ps, "crash")
	}
	if l := f.Leak; l != nil && (l.BytesPerRequest < 1 || l.BytesPerRequest > maxLeakPerRequest) {
		ps.add("leak.bytesPerRequest", 0, "must be in [1, %d], got %d", maxLeakPerRequest, l.BytesPerRequest)
	}
	if r := f.Readiness; r != nil {
		nonNegative(&ps, "readiness.after", r.After)
	}
	if c := f.CPU; c != nil && (c.PerRequest <= 0 || c.PerRequest.D() > maxCPUPerRequest) {
		ps.add("cpu.perRequest", 0, "must be in (0, %s], got %s", maxCPUPerRequest, c.PerRequest)
	}
	return ps
}

func (e *ErrorFault) validate(ps *problems, path string) {
	inRange(ps, path+".rate", e.Rate, 0, 1)
	if e.Status < 400 || e.Status > 599 {
		ps.add(path+".status", 0, "must be an HTTP error status in [400, 599], got %d", e.Status)
	}
	validPaths(ps, path+".paths", e.Paths)
	inRange(ps, path+".cohort", e.Cohort, 0, 1)
	inRange(ps, path+".minRPS", e.MinRPS, 0, math.MaxFloat64)
	nonNegative(ps, path+".after", e.After)
}

func (c *CrashFault) validate(ps *problems, path string) {
	nonNegative(ps, path+".after", c.After)
	if c.Requests < 0 {
		ps.add(path+".requests", 0, "must not be negative, got %d", c.Requests)
	}
	if c.After == 0 && c.Requests == 0 {
		ps.add(path, 0, "set after, requests or both")
	}
	if c.ExitCode < 1 || c.ExitCode > 255 {
		ps.add(path+".exitCode", 0, "must be in [1, 255], got %d", c.ExitCode)
	}
}

// inRange requires a finite v in [lo, hi].
func inRange(ps *problems, path string, v, lo, hi float64) {
	if !(v >= lo && v <= hi) { // also rejects NaN
		if hi == math.MaxFloat64 {
			ps.add(path, 0, "must be a finite number ≥ %g, got %g", lo, v)
			return
		}
		ps.add(path, 0, "must be in [%g, %g], got %g", lo, hi, v)
	}
}

func nonNegative(ps *problems, path string, d Duration) {
	if d < 0 {
		ps.add(path, 0, "must not be negative, got %s", d)
	}
}

func validPaths(ps *problems, path string, paths []string) {
	seen := map[string]bool{}
	for i, p := range paths {
		at := path + "[" + itoa(i) + "]"
		if !slices.Contains(Routes(), p) {
			ps.add(at, 0, "unknown route %q (want one of %v)", p, Routes())
		} else if seen[p] {
			ps.add(at, 0, "duplicate route %q", p)
		}
		seen[p] = true
	}
}
