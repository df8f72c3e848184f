package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/coalmine/coalmine/results"
)

// ErrIncomplete is returned (wrapped) by Run when a strategy could not run
// to the end for a reason other than the scenario itself, or when the run
// was interrupted. The results are still returned and written.
var ErrIncomplete = errors.New("run incomplete")

// engine is one run: the options and the cluster API.
type engine struct {
	o   *Options
	api kubeAPI
}

// Run runs o.Scenario under each selected strategy on o.Cluster and
// returns the scored results, which it also writes to o.OutDir
// (results.json, reports, records). Strategies run in parallel (up to
// o.Parallel), each in its own namespace, removed afterwards unless
// o.Keep. When ctx ends (Ctrl-C) traffic stops, records are flushed, the
// namespaces are removed and the results are written marked incomplete.
// The error is nil when every strategy ran to the end; expectation
// verdicts are in the results (see Results.ExpectationCounts).
func Run(ctx context.Context, o Options) (*results.Results, error) {
	if err := o.setDefaults(); err != nil {
		return nil, err
	}
	e := &engine{o: &o, api: o.api}
	if e.api == nil {
		api, err := newAPIServer(o.Cluster.Config, o.Logger)
		if err != nil {
			return nil, err
		}
		e.api = api
	}
	runners, err := e.runners()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	started := o.Now()
	if err := e.api.SetScrapeInterval(ctx, o.Scenario.Spec.ScrapeInterval.Duration); err != nil {
		return nil, fmt.Errorf("run: prometheus scrape interval: %w", err)
	}
	e.runAll(ctx, runners)
	return e.finish(ctx, started, runners)
}

func (e *engine) runners() ([]*strategyRunner, error) {
	sts, err := e.o.selected()
	if err != nil {
		return nil, err
	}
	if e.o.Keep && len(sts) > len(e.o.Cluster.Entries) {
		return nil, fmt.Errorf("run: --keep with %d strategies needs %d traffic entries, the cluster has %d",
			len(sts), len(sts), len(e.o.Cluster.Entries))
	}
	var out []*strategyRunner
	for _, st := range sts {
		r, err := newStrategyRunner(e, st)
		if err != nil {
			return nil, fmt.Errorf("run: strategy %s: %w", st.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// runAll runs the strategies, at most Parallel at a time (and at most one
// per traffic entry), while the progress display redraws.
func (e *engine) runAll(ctx context.Context, runners []*strategyRunner) {
	pool := newEntryPool(e.o.Cluster.Entries)
	slots := len(runners)
	if e.o.Parallel > 0 {
		slots = min(slots, e.o.Parallel)
	}
	sem := make(chan struct{}, slots)
	stopDisplay := e.startDisplay(runners)
	defer stopDisplay()
	var wg sync.WaitGroup
	for _, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				r.res.Error = "interrupted before it started"
				r.status.set("not started")
				return
			}
			defer func() { <-sem }()
			r.run(ctx, pool)
		}()
	}
	wg.Wait()
}

// startDisplay redraws the progress every second until stopped, then
// draws a last time.
func (e *engine) startDisplay(runners []*strategyRunner) (stop func()) {
	d := &display{w: e.o.Progress, interactive: e.o.Interactive, width: e.o.Width,
		plainEvery: e.o.PlainEvery, traffic: e.o.Scenario.Spec.Traffic}
	for _, r := range runners {
		d.lines = append(d.lines, r.status)
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			d.draw(e.o.Now())
			select {
			case <-done:
				d.lastPlain = time.Time{}
				d.draw(e.o.Now())
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
