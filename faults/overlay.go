package faults

import (
	"slices"
	"time"
)

// Overlay is what a version's pods run with: the release's own fault
// blocks, and the baseline's for every kind of fault the release does not
// set (a release's error fault replaces the baseline error rate). Neither
// input is changed; nil inputs are no faults.
func Overlay(baseline, release *Faults) *Faults {
	out := baseline.Clone()
	if out == nil {
		out = &Faults{}
	}
	if release == nil {
		return out
	}
	r := release.Clone()
	if r.Errors != nil {
		out.Errors = r.Errors
	}
	if r.Latency != nil {
		out.Latency = r.Latency
	}
	if r.Crash != nil {
		out.Crash = r.Crash
	}
	if r.Leak != nil {
		out.Leak = r.Leak
	}
	if r.Readiness != nil {
		out.Readiness = r.Readiness
	}
	if r.CPU != nil {
		out.CPU = r.CPU
	}
	return out
}

// Onset is how long after its process starts a fault can first act: the
// smallest onset delay of its blocks (0 for a block that acts at once,
// and for no faults). Crash and readiness faults count from process start
// like the others.
func (f *Faults) Onset() time.Duration {
	if f.IsZero() {
		return 0
	}
	var delays []time.Duration
	for _, d := range f.onsets() {
		delays = append(delays, d.D())
	}
	if f.Leak != nil || f.CPU != nil {
		delays = append(delays, 0)
	}
	return slices.Min(delays)
}

// Stretch returns a copy of f with every onset (the After of each block,
// counted from process start) multiplied by k: the same faults on a clock
// running k times slower, as when a compressed run is replayed in
// production time. Request-level durations (latencies, CPU per request)
// are physical and keep their values.
func (f *Faults) Stretch(k float64) *Faults {
	g := f.Clone()
	for _, d := range g.onsets() {
		*d = Duration(float64(*d) * k)
	}
	return g
}

// onsets points at the After field of every block that has one.
func (f *Faults) onsets() []*Duration {
	var ds []*Duration
	if f.Errors != nil {
		ds = append(ds, &f.Errors.After)
	}
	if f.Latency != nil {
		ds = append(ds, &f.Latency.After)
	}
	if f.Crash != nil {
		ds = append(ds, &f.Crash.After)
	}
	if f.Readiness != nil {
		ds = append(ds, &f.Readiness.After)
	}
	return ds
}
