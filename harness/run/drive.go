package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/harness/observe"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// drive deploys the initial version on a traffic entry, waits until it is
// healthy, starts traffic, and plays the releases on the scenario's
// schedule.
func (r *strategyRunner) drive(ctx context.Context, pool *entryPool) error {
	o := r.e.o
	r.status.set("deploying " + r.pods[0].Version)
	entry, err := r.deploy(ctx, pool)
	if err != nil {
		return err
	}
	r.entry = &entry
	spec := r.spec(entry, r.pods[0])
	if err := r.healthy(ctx); err != nil {
		return err
	}
	r.status.set("waiting for the traffic entry")
	if err := waitEntry(ctx, entryURL(entry), o.HealthyTimeout); err != nil {
		return err
	}
	if err := r.startTraffic(ctx, entry); err != nil {
		return err
	}
	r.status.set("warmup")
	if err := sleep(ctx, o.Scenario.Spec.Warmup.Duration); err != nil {
		return err
	}
	for k := 1; k < len(r.pods); k++ {
		rel := o.Scenario.Spec.Releases[k-1]
		wait := releaseWait(o.Scenario.Spec.Traffic, rel.When, r.traffic.elapsed(o.Now()))
		r.status.set(fmt.Sprintf("%s at %s", rel.Version, o.Scenario.Spec.Traffic.TimeOfDay(r.traffic.elapsed(o.Now())+wait)))
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		if err := r.release(ctx, spec, k, rel); err != nil {
			return err
		}
	}
	r.status.set("cooldown")
	return sleep(ctx, o.Scenario.Spec.Cooldown.Duration)
}

// entryURL is where the host reaches entry.
func entryURL(e Entry) string { return fmt.Sprintf("http://127.0.0.1:%d", e.HostPort) }

func (r *strategyRunner) startTraffic(ctx context.Context, entry Entry) error {
	o := r.e.o
	target := entryURL(entry)
	cfg, err := attackConfig(o.Scenario, target, o.Seed, attackBound(o.Scenario))
	if err != nil {
		return err
	}
	path := filepath.Join(o.OutDir, filepath.FromSlash(r.res.RecordsFile))
	t, err := startTraffic(ctx, cfg, path, o.Now)
	if err != nil {
		return err
	}
	r.traffic = t
	r.status.attach(nil, t)
	r.w.Record(results.Event{Time: t.began, Kind: results.EventTrafficStart, Message: target})
	return nil
}

func (r *strategyRunner) stopTraffic() error {
	res, err := r.traffic.stop()
	r.stoppedAt = r.e.o.Now()
	r.res.Traffic = &results.Traffic{Requests: res.Requests, Skipped: res.Skipped, Stop: string(res.Stop)}
	msg := fmt.Sprintf("%d requests, stop: %s", res.Requests, res.Stop)
	if res.Skipped > 0 {
		msg += fmt.Sprintf(", %d skipped (attacker lagging)", res.Skipped)
	}
	r.w.Record(results.Event{Time: r.stoppedAt, Kind: results.EventTrafficStop, Release: r.w.Snapshot().Release, Message: msg})
	return err
}

// release applies release k and waits until the controller settles it
// (promoted, or aborted and restored) or the release times out.
func (r *strategyRunner) release(ctx context.Context, spec deploy.Spec, k int, rel scenarios.Release) error {
	o := r.e.o
	spec.Pod = r.pods[k]
	ro, err := deploy.Rollout(spec)
	if err != nil {
		return err
	}
	r.status.set("releasing " + rel.Version)
	r.w.BeginRelease(k)
	at := o.Now() // before the apply: every reaction of the controller is later
	if err := r.e.api.Apply(ctx, ro); err != nil {
		return fmt.Errorf("release %s: %w", rel.Version, err)
	}
	r.w.Record(results.Event{Time: at, Kind: results.EventReleased, Release: k, Message: rel.Version})
	if rel.Bad() {
		f, err := rel.Fault.Decode()
		if err != nil {
			return err
		}
		r.w.Record(results.Event{Time: at.Add(f.Onset()), Kind: results.EventFaultOnset, Release: k, Message: f.Summary()})
	}
	tctx, cancel := context.WithTimeout(ctx, o.Scenario.Spec.ReleaseTimeout.Duration)
	defer cancel()
	err = r.wait(tctx, observe.Snapshot.Settled)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		snap := r.w.Snapshot()
		what := "neither promoted nor aborted"
		if snap.Aborted {
			what = "aborted, but the stable version not yet fully restored"
		}
		r.w.Record(results.Event{Kind: results.EventTimeout, Release: k,
			Message: fmt.Sprintf("%s within %s: %s", what, o.Scenario.Spec.ReleaseTimeout.Duration, describe(snap))})
		return nil
	}
	return err
}
