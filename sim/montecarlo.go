package sim

import (
	"context"
	"fmt"
	"sync"

	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// MonteCarlo runs every strategy Runs times, each run with its own seed,
// on Workers goroutines, and aggregates the scores as they come (memory
// does not grow with Runs). The result depends only on Seed and Runs.
type MonteCarlo struct {
	Options
	// Runs per strategy (≥ 1).
	Runs int
	// Workers run at once (≥ 1).
	Workers int
	// Progress, when set, is called after each finished run.
	Progress func(done, total int)
}

// Run runs the Monte Carlo of the scenario's strategies. A canceled ctx
// stops the workers; what finished is summarised and marked incomplete.
func (m MonteCarlo) Run(ctx context.Context, sc *scenarios.Scenario, strategies []*scenarios.Strategy) (*results.SimSummary, error) {
	if m.Runs < 1 {
		return nil, fmt.Errorf("runs must be at least 1, got %d", m.Runs)
	}
	if m.Workers < 1 {
		return nil, fmt.Errorf("workers must be at least 1, got %d", m.Workers)
	}
	if err := m.Options.setDefaults(); err != nil {
		return nil, err
	}
	v, err := newView(sc, m.TimeScale)
	if err != nil {
		return nil, err
	}
	aggs := make([]*aggregate, len(strategies))
	for i, st := range strategies {
		aggs[i] = newAggregate(st.Name, sc, !m.TimelineOnly)
	}
	m.work(ctx, sc, v, strategies, aggs)
	sum := &results.SimSummary{SchemaVersion: results.SimSchemaVersion, Scenario: sc.Metadata.Name, Runs: m.Runs,
		Seed: m.Seed, TimeScale: v.s, CalibrationRuns: m.Calibration.Provenance.Runs, Complete: ctx.Err() == nil}
	if !sum.Complete {
		sum.IncompleteReason = "interrupted: " + context.Cause(ctx).Error()
	}
	for _, a := range aggs {
		sum.Strategies = append(sum.Strategies, a.summary())
	}
	return sum, nil
}

// work runs every (strategy, run) job on the workers.
func (m MonteCarlo) work(ctx context.Context, sc *scenarios.Scenario, v *view, sts []*scenarios.Strategy, aggs []*aggregate) {
	type job struct{ strategy, run int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done, total := 0, m.Runs*len(sts)
	for range m.Workers {
		wg.Go(func() {
			for j := range jobs {
				o := m.Options
				o.Seed = runSeed(m.Seed, j.run)
				sr := runOne(ctx, sc, v, sts[j.strategy], o)
				mu.Lock()
				if ctx.Err() == nil || sr.Complete {
					aggs[j.strategy].add(j.run, sr)
				}
				done++
				if m.Progress != nil {
					m.Progress(done, total)
				}
				mu.Unlock()
			}
		})
	}
	defer wg.Wait()
	defer close(jobs)
	for r := range m.Runs {
		for s := range sts {
			select {
			case jobs <- job{s, r}:
			case <-ctx.Done():
				return
			}
		}
	}
}

// runSeed derives run i's seed from the master seed (SplitMix64), so
// that runs are independent yet reproducible.
func runSeed(master int64, i int) int64 {
	z := uint64(master) + uint64(i+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return int64((z ^ (z >> 31)) >> 1)
}
