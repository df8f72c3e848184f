package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/outcome"
	"github.com/coalmine/coalmine/reports"
	"github.com/coalmine/coalmine/reports/markdown"
	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
	"github.com/coalmine/coalmine/sim"
)

// envSim is --env sim: the virtual-time simulator instead of a cluster.
const envSim = "sim"

// simFlags are the simulator's flags of `run` and `sim`.
type simFlags struct {
	timeScale   float64
	calibration string
}

func (f *simFlags) register(cmd *cobra.Command) {
	cmd.Flags().Float64Var(&f.timeScale, "time-scale", 1, "simulator time scale: 1 is production time (strategies as written); the scenario's timeScale reproduces a kind run (--env sim)")
	cmd.Flags().StringVar(&f.calibration, "calibration", "", "calibration file from `coalmine calibrate` (default: the library's)")
}

// options are the simulator options of the flags.
func (f *simFlags) options(seed int64) (sim.Options, error) {
	o := sim.Options{Seed: seed, TimeScale: f.timeScale}
	if f.calibration != "" {
		c, err := sim.LoadCalibration(f.calibration)
		if err != nil {
			return o, err
		}
		o.Calibration = c
	}
	return o, nil
}

// inputs are the strategies and simulator options a command asks for.
func (f *simFlags) inputs(s *scenarios.Scenario, names []string, seed int64) ([]*scenarios.Strategy, sim.Options, error) {
	strategies, err := s.Select(names)
	if err != nil {
		return nil, sim.Options{}, err
	}
	so, err := f.options(seed)
	return strategies, so, err
}

// runSimulated is `coalmine run --env sim`: one simulated run of each
// strategy, written like a kind run.
func runSimulated(cmd *cobra.Command, g *globals, o *runOptions, s *scenarios.Scenario) error {
	ctx := cmd.Context()
	strategies, so, err := o.sim.inputs(s, o.strategies, o.seed)
	if err != nil {
		return err
	}
	progress := progressTo(g.streams.Err)
	progress(fmt.Sprintf("simulating %s (seed %d, time scale %g) into %s", s.Metadata.Name, o.seed, o.sim.timeScale, o.out))
	start := time.Now()
	res, err := sim.Run(ctx, s, strategies, so)
	if err != nil {
		return err
	}
	res.StartedAt, res.FinishedAt = start, time.Now()
	err = outcome.Finish(ctx, res, s, o.out, s.Spec.TimeScale/so.TimeScaleOrOne(), func(err error) {
		if !errors.Is(err, score.ErrUnmatched) || len(o.strategies) == 0 {
			g.logger().Warn("expectations", "err", err)
		}
	})
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("simulation took %s", time.Since(start).Round(time.Millisecond)))
	if err := markdown.Write(ctx, g.streams.Out, res); err != nil {
		return err
	}
	fmt.Fprintf(g.streams.Out, "\nresults: %s (reports: %s, %s, %s)\n", filepath.Join(o.out, results.FileName),
		reports.HTMLFile, reports.MarkdownFile, reports.JUnitFile)
	if !res.Complete {
		return fmt.Errorf("incomplete: %s", res.IncompleteReason)
	}
	if _, failed := res.ExpectationCounts(); failed > 0 {
		return &ExitError{Code: 1, Err: fmt.Errorf("%d expectation(s) of scenario %s failed", failed, s.Metadata.Name)}
	}
	return nil
}
