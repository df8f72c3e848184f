package faults

import "time"

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
	if f.Errors != nil {
		delays = append(delays, f.Errors.After.D())
	}
	if f.Latency != nil {
		delays = append(delays, f.Latency.After.D())
	}
	if f.Crash != nil {
		delays = append(delays, f.Crash.After.D())
	}
	if f.Readiness != nil {
		delays = append(delays, f.Readiness.After.D())
	}
	if f.Leak != nil || f.CPU != nil {
		delays = append(delays, 0)
	}
	d := delays[0]
	for _, x := range delays[1:] {
		d = min(d, x)
	}
	return d
}
