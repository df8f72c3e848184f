package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/coalmine/coalmine/outcome"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/harness/observe"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// strategyRunner runs the scenario under one strategy in its own
// namespace: deploy, wait healthy, traffic, warmup, releases, cooldown.
type strategyRunner struct {
	e      *engine
	strat  *scenarios.Strategy
	scaled *scenarios.ScaledStrategy
	ns     string
	status *status
	// pods are the pod versions: index 0 the initial stable version,
	// index k release k.
	pods []deploy.PodVersion

	w       watcher
	traffic *trafficRun
	// entry is the traffic entry taken from the pool (nil until deployed).
	entry *Entry
	// stoppedAt is when traffic stopped (zero if it never started).
	stoppedAt time.Time
	res       results.StrategyRun
}

func newStrategyRunner(e *engine, st *scenarios.Strategy) (*strategyRunner, error) {
	s := e.o.Scenario
	scaled, err := scenarios.Scale(st, s.ScaleOptions())
	if err != nil {
		return nil, err
	}
	for _, c := range scaled.Clamps {
		e.o.Logger.Debug("strategy duration clamped", "strategy", st.Name, "path", c.Path, "original", c.Original,
			"scaled", c.Scaled, "used", c.Used, "reason", c.Reason)
	}
	pods, err := podVersions(s)
	if err != nil {
		return nil, err
	}
	r := &strategyRunner{
		e: e, strat: st, scaled: scaled, pods: pods,
		ns:     namespaceName(st.Name, e.o.RunID),
		status: &status{name: st.Name, phase: "waiting"},
	}
	r.res = outcome.StrategyRun(st, e.o.Seed)
	r.res.Namespace = r.ns
	r.res.RecordsFile = filepath.ToSlash(filepath.Join(recordsDir(st.Name), "records.tsv"))
	return r, nil
}

// podVersions renders every version's pod settings: its faults laid
// over the app's baseline, in the FAULTS env var.
func podVersions(s *scenarios.Scenario) ([]deploy.PodVersion, error) {
	base, err := s.Spec.App.Baseline.Decode()
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	var out []deploy.PodVersion
	add := func(version string, fault scenarios.Fault) error {
		f, err := fault.Decode()
		if err != nil {
			return fmt.Errorf("release %s: %w", version, err)
		}
		env, err := faults.Encode(faults.Overlay(base, f))
		out = append(out, deploy.PodVersion{Version: version, Faults: string(env)})
		return err
	}
	if err := add(s.Spec.App.Version, scenarios.Fault{}); err != nil {
		return nil, err
	}
	for _, rel := range s.Spec.Releases {
		if err := add(rel.Version, rel.Fault); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var nonLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// namespaceName is coalmine-<strategy>-<run id>, a valid DNS label.
func namespaceName(strategy, runID string) string {
	s := strings.Trim(nonLabel.ReplaceAllString(strings.ToLower(strategy), "-"), "-")
	if max := 63 - len("coalmine--") - len(runID); len(s) > max {
		s = strings.Trim(s[:max], "-")
	}
	return "coalmine-" + s + "-" + runID
}

// recordsDir is the strategy's directory under the output directory.
func recordsDir(strategy string) string {
	return strings.Trim(nonLabel.ReplaceAllString(strings.ToLower(strategy), "-"), "-")
}

// spec is the deploy spec of the strategy's namespace running pod.
func (r *strategyRunner) spec(entry Entry, pod deploy.PodVersion) deploy.Spec {
	o := r.e.o
	return deploy.Spec{
		RunID: o.RunID, StrategyName: r.strat.Name, Namespace: r.ns, Strategy: r.scaled,
		App: o.Scenario.Spec.App, Image: o.Image, PullPolicy: o.PullPolicy,
		NodePort: entry.NodePort, Seed: uint64(o.Seed), Pod: pod,
	}
}

// run executes the strategy's part of the scenario and fills r.res. It
// always stops traffic and, unless keep, removes the namespace and gives
// its traffic entry back to the pool.
func (r *strategyRunner) run(ctx context.Context, pool *entryPool) {
	err := r.watchAndDrive(ctx, pool)
	if r.w != nil {
		r.res.Timeline = r.w.Timeline()
	}
	final := "done"
	switch {
	case err == nil:
		r.res.Complete = true
	case ctx.Err() != nil:
		r.res.Error = "interrupted: " + err.Error()
		final = "interrupted"
	default:
		r.res.Error = err.Error()
		final = "failed"
		r.e.o.Logger.Warn("strategy failed", "strategy", r.strat.Name, "err", err)
	}
	r.status.set(final)
	if r.e.o.Keep {
		return // the entry stays with the kept namespace
	}
	r.status.set(final + ", cleaning up")
	if r.cleanup(ctx) {
		r.status.set(final + ", cleaned up")
	}
	if r.entry != nil {
		pool.put(*r.entry)
	}
}

func (r *strategyRunner) watchAndDrive(ctx context.Context, pool *entryPool) error {
	if err := os.MkdirAll(filepath.Join(r.e.o.OutDir, recordsDir(r.strat.Name)), 0o755); err != nil {
		return err
	}
	w, stop, err := r.e.api.Watch(ctx, r.ns)
	if err != nil {
		return fmt.Errorf("watch %s: %w", r.ns, err)
	}
	defer stop()
	r.w = w
	r.status.attach(w, nil)
	err = r.drive(ctx, pool)
	if r.traffic != nil {
		err = errors.Join(err, r.stopTraffic())
	}
	return err
}

// cleanup deletes the namespace, also after an interrupt, and reports
// whether it is gone.
func (r *strategyRunner) cleanup(ctx context.Context) bool {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.e.o.CleanupTimeout)
	defer cancel()
	if err := r.e.api.DeleteNamespace(cctx, r.ns); err != nil {
		r.e.o.Logger.Warn("cleanup failed", "namespace", r.ns, "err", err)
		if r.res.Error == "" {
			r.res.Error = "cleanup: " + err.Error()
		}
		return false
	}
	return true
}

// healthy waits until the initial version is fully rolled out.
func (r *strategyRunner) healthy(ctx context.Context) error {
	hctx, cancel := context.WithTimeout(ctx, r.e.o.HealthyTimeout)
	defer cancel()
	if err := r.wait(hctx, observe.Snapshot.Healthy); err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("version %s not healthy within %s: %s", r.pods[0].Version, r.e.o.HealthyTimeout, describe(r.w.Snapshot()))
		}
		return err
	}
	return nil
}

// wait waits until cond holds, and fails at once when the controller
// marks the Rollout InvalidSpec: waiting would only reach a timeout.
func (r *strategyRunner) wait(ctx context.Context, cond func(observe.Snapshot) bool) error {
	s, err := r.w.Wait(ctx, func(s observe.Snapshot) bool { return cond(s) || s.InvalidSpec() != "" })
	if err == nil && !cond(s) {
		return fmt.Errorf("Argo Rollouts rejected the Rollout (InvalidSpec): %s", s.InvalidSpec())
	}
	return err
}

// describe summarises a snapshot for error messages.
func describe(s observe.Snapshot) string {
	if s.Rollout == nil {
		return "no Rollout status seen"
	}
	ro := s.Rollout
	return fmt.Sprintf("phase %q (%s), %d/%d available", ro.Phase, ro.Message, ro.AvailableReplicas, ro.Replicas)
}
