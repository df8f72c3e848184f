package run

import (
	"fmt"
	"time"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/coalmine/coalmine/scenarios"
)

// podFaults is what a version's pods run with: the release's own fault
// blocks, and the app's baseline for every kind of fault the release does
// not set (a release's error fault replaces the baseline error rate).
func podFaults(baseline, release scenarios.Fault) (*faultapp.Faults, error) {
	base, err := baseline.Decode()
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	rel, err := release.Decode()
	if err != nil {
		return nil, fmt.Errorf("release fault: %w", err)
	}
	out := base.Clone()
	if rel.Errors != nil {
		out.Errors = rel.Errors
	}
	if rel.Latency != nil {
		out.Latency = rel.Latency
	}
	if rel.Crash != nil {
		out.Crash = rel.Crash
	}
	if rel.Leak != nil {
		out.Leak = rel.Leak
	}
	if rel.Readiness != nil {
		out.Readiness = rel.Readiness
	}
	if rel.CPU != nil {
		out.CPU = rel.CPU
	}
	return out, nil
}

// faultsEnv encodes faults for the FAULTS env var.
func faultsEnv(f *faultapp.Faults) (string, error) {
	b, err := faultapp.EncodeFaults(f)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// onsetDelay is how long after its pods start a release's own fault can
// first act: the smallest onset delay of its fault blocks (0 for a block
// that acts at once). Crash and readiness faults count from process start
// like the others.
func onsetDelay(release scenarios.Fault) (time.Duration, error) {
	f, err := release.Decode()
	if err != nil || f.IsZero() {
		return 0, err
	}
	delays := []time.Duration{}
	add := func(set bool, d time.Duration) {
		if set {
			delays = append(delays, d)
		}
	}
	add(f.Errors != nil, afterOf(f.Errors, func(e *faultapp.ErrorFault) faultapp.Duration { return e.After }))
	add(f.Latency != nil, afterOf(f.Latency, func(e *faultapp.LatencyFault) faultapp.Duration { return e.After }))
	add(f.Crash != nil, afterOf(f.Crash, func(e *faultapp.CrashFault) faultapp.Duration { return e.After }))
	add(f.Readiness != nil, afterOf(f.Readiness, func(e *faultapp.ReadinessFault) faultapp.Duration { return e.After }))
	add(f.Leak != nil || f.CPU != nil, 0)
	d := delays[0]
	for _, x := range delays[1:] {
		d = min(d, x)
	}
	return d, nil
}

func afterOf[T any](p *T, get func(*T) faultapp.Duration) time.Duration {
	if p == nil {
		return 0
	}
	return get(p).D()
}
