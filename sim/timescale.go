package sim

import (
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/scenarios"
)

// view is a scenario as the simulator plays it at time scale s: every
// duration the scenario states for its compressed run stretched by
// k = S/s (S the scenario's own timeScale).
type view struct {
	sc                               *scenarios.Scenario
	s, k                             float64
	traffic                          scenarios.Traffic
	warmup, releaseTimeout, cooldown time.Duration
	scrape                           time.Duration
}

func newView(sc *scenarios.Scenario, s float64) (*view, error) {
	if s == 0 {
		s = 1
	}
	if !(s >= 1) || math.IsInf(s, 0) || s > sc.Spec.TimeScale {
		return nil, fmt.Errorf("time scale must be in [1, %g] (the scenario's own), got %g", sc.Spec.TimeScale, s)
	}
	k := sc.Spec.TimeScale / s
	v := &view{sc: sc, s: s, k: k, traffic: sc.Spec.Traffic, scrape: sc.Spec.ScrapeInterval.Duration}
	v.traffic.DayLength = scenarios.D(v.stretch(sc.Spec.Traffic.DayLength.Duration))
	v.traffic.SpikeDuration = scenarios.D(v.stretch(sc.Spec.Traffic.SpikeDuration.Duration))
	v.warmup = v.stretch(sc.Spec.Warmup.Duration)
	v.releaseTimeout = v.stretch(sc.Spec.ReleaseTimeout.Duration)
	v.cooldown = v.stretch(sc.Spec.Cooldown.Duration)
	return v, nil
}

func (v *view) stretch(d time.Duration) time.Duration { return time.Duration(float64(d) * v.k) }

// releaseWait is harness/run's wait before release rel, at elapsed time
// since traffic started.
func (v *view) releaseWait(rel scenarios.Release, elapsed time.Duration) time.Duration {
	switch w := rel.When; {
	case w.At != nil:
		return v.traffic.Until(elapsed, *w.At)
	case w.AfterPrevious != nil:
		return v.stretch(w.AfterPrevious.Duration)
	}
	return 0
}

// faults is what release k's pods run with (k = 0: the initial version):
// the release's faults over the baseline, onsets stretched.
func (v *view) faults(k int) (*faults.Faults, error) {
	base, err := v.sc.Spec.App.Baseline.Decode()
	if err != nil {
		return nil, err
	}
	f := base
	if k > 0 {
		rel, err := v.sc.Spec.Releases[k-1].Fault.Decode()
		if err != nil {
			return nil, err
		}
		f = faults.Overlay(base, rel)
	}
	return f.Stretch(v.k), nil
}

// version is release k's version (k = 0: the initial one).
func (v *view) version(k int) string {
	if k == 0 {
		return v.sc.Spec.App.Version
	}
	return v.sc.Spec.Releases[k-1].Version
}

// podHash is a stable pod-template hash for release k of strategy.
func podHash(strategy string, k int, version string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d/%s", strategy, k, version)
	return fmt.Sprintf("%010x", h.Sum64())[:10]
}
