package sim

import (
	"context"
	"fmt"
	"time"

	"github.com/coalmine/coalmine/results"
)

// trimEvery and keep bound the metric store: samples older than keep are
// dropped every trimEvery (queries never look further back).
const (
	trimEvery = time.Minute
	keep      = 2*time.Hour + 5*time.Minute
)

// run plays the scenario's schedule as harness/run's drive does: the
// initial version until healthy, traffic, warmup, each release on its
// schedule until it settles or times out, cooldown.
func (s *strategySim) run(ctx context.Context, v *view, tr *traffic) error {
	if err := s.deploy(v); err != nil {
		return err
	}
	s.trimLoop()
	tr.start()
	s.record(results.Event{Kind: results.EventTrafficStart, Message: "simulated"})
	if err := s.advance(ctx, v.warmup, nil); err != nil {
		return err
	}
	for k := 1; k <= len(v.sc.Spec.Releases); k++ {
		wait := v.releaseWait(v.sc.Spec.Releases[k-1], s.clk.now.Sub(tr.began))
		if err := s.advance(ctx, wait, nil); err != nil {
			return err
		}
		if err := s.releaseVersion(ctx, v, k); err != nil {
			return err
		}
	}
	err := s.advance(ctx, v.cooldown, nil)
	tr.stopped = true
	s.record(results.Event{Kind: results.EventTrafficStop, Message: fmt.Sprintf("%d requests, stop: simulated", tr.requests)})
	return err
}

// deploy rolls out the initial version and waits until it is available.
func (s *strategySim) deploy(v *view) error {
	f, err := v.faults(0)
	if err != nil {
		return err
	}
	rs := s.newRS(0, v.version(0), f)
	r := s.ro
	r.stable, r.canary = rs, rs
	r.ro.Status.StableRS, r.ro.Status.CurrentPodHash = rs.hash, rs.hash
	if c := r.ro.Spec.Strategy.Canary; c != nil {
		r.ro.Status.CurrentStepIndex = int32Ptr(int32(len(c.Steps)))
	} else {
		r.s.cl.selectHash(rs.hash)
		r.switched = true // the first revision is active at once, with all replicas
	}
	r.decided, r.weight, r.step = true, 100, -1
	r.enqueue()
	healthy := func() bool { return rs.available() >= *r.ro.Spec.Replicas }
	if err := s.advance(context.Background(), healthyTimeout, healthy); err != nil {
		return err
	}
	if !healthy() {
		return fmt.Errorf("version %s not healthy within %s", rs.version, healthyTimeout)
	}
	return nil
}

// releaseVersion applies release k and waits until it settles (promoted,
// or aborted and restored) or times out.
func (s *strategySim) releaseVersion(ctx context.Context, v *view, k int) error {
	f, err := v.faults(k)
	if err != nil {
		return err
	}
	s.release = k
	rel := v.sc.Spec.Releases[k-1]
	s.record(results.Event{Kind: results.EventReleased, Message: rel.Version})
	if rel.Bad() {
		s.timeline = append(s.timeline, results.Event{Time: s.clk.now.Add(f.Onset()), Kind: results.EventFaultOnset,
			Release: k, Message: rel.Fault.Summary()})
	}
	s.ro.release(s.newRS(k, rel.Version, f))
	settled := func() bool { return s.ro.decided && (s.ro.stable == s.ro.canary || s.ro.restored) }
	if err := s.advance(ctx, v.releaseTimeout, settled); err != nil {
		return err
	}
	if !settled() {
		what := "neither promoted nor aborted"
		if s.ro.decided {
			what = "aborted, but the stable version not yet fully restored"
		}
		s.record(results.Event{Kind: results.EventTimeout, Message: fmt.Sprintf("%s within %s", what, v.releaseTimeout)})
	}
	return nil
}

// advance runs the clock for d, or until done holds, checking ctx and
// the strategy's error as it goes.
func (s *strategySim) advance(ctx context.Context, d time.Duration, done func() bool) error {
	end := s.clk.now.Add(d)
	for s.clk.now.Before(end) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w: %w", errStopped, err)
		}
		step := s.clk.now.Add(time.Minute)
		if step.After(end) {
			step = end
		}
		s.clk.runUntil(step, func() bool { return s.err != nil || (done != nil && done()) })
		if s.err != nil {
			return s.err
		}
		if done != nil && done() {
			return nil
		}
	}
	return nil
}

// trimLoop drops old samples from the metric store now and then.
func (s *strategySim) trimLoop() {
	var trim func()
	trim = func() {
		s.store.Trim(s.clk.now.Add(-keep))
		s.clk.after(trimEvery, trim)
	}
	s.clk.after(trimEvery, trim)
}
