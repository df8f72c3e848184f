package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/outcome"
	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// EnvironmentKind is results.Environment.Kind of simulated runs.
const EnvironmentKind = "sim"

// Options control a simulated run.
type Options struct {
	// Seed is the master seed: traffic, pods and fault decisions. The same
	// seed gives the same run.
	Seed int64
	// TimeScale is the simulator's time scale s in [1, the scenario's
	// timeScale] (0 means 1, production time); see the package doc.
	TimeScale float64
	// Calibration holds the cluster's delays (nil: DefaultCalibration).
	Calibration *Calibration
	// TimelineOnly scores from the timeline alone: outcomes and times to
	// detect, restore and promote, but no request counts (half the cost:
	// the requests are not replayed for the scorer).
	TimelineOnly bool
}

func (o *Options) setDefaults() error {
	if o.Seed < 0 {
		return fmt.Errorf("seed must not be negative, got %d", o.Seed)
	}
	if o.Calibration == nil {
		c, err := DefaultCalibration()
		if err != nil {
			return err
		}
		o.Calibration = c
	}
	return nil
}

// Run simulates each strategy of the scenario once and returns the
// results a kind run would write (environment.kind "sim"), scored from the
// simulated request records. A strategy that cannot be simulated carries
// its error and makes the results incomplete; so does a canceled ctx.
func Run(ctx context.Context, sc *scenarios.Scenario, strategies []*scenarios.Strategy, o Options) (*results.Results, error) {
	if err := o.setDefaults(); err != nil {
		return nil, err
	}
	v, err := newView(sc, o.TimeScale)
	if err != nil {
		return nil, err
	}
	env := results.Environment{Kind: EnvironmentKind}
	res, err := outcome.New(sc, env, components(o.Calibration, v), o.Seed, epoch)
	if err != nil {
		return nil, err
	}
	for _, st := range strategies {
		res.Strategies = append(res.Strategies, runOne(ctx, sc, v, st, o))
		if ctx.Err() != nil {
			break
		}
	}
	res.FinishedAt = epoch
	for _, sr := range res.Strategies {
		if n := len(sr.Timeline); n > 0 && sr.Timeline[n-1].Time.After(res.FinishedAt) {
			res.FinishedAt = sr.Timeline[n-1].Time
		}
	}
	return res, nil
}

// runOne simulates and scores one strategy. The records are produced a
// second time from the same seed for the scorer instead of being kept.
func runOne(ctx context.Context, sc *scenarios.Scenario, v *view, st *scenarios.Strategy, o Options) results.StrategyRun {
	sr := outcome.StrategyRun(st, o.Seed)
	sr.Namespace = "coalmine-" + st.Name
	s, tr, err := play(ctx, v, st, o.Calibration, o.Seed, nil)
	if s != nil {
		sr.Timeline = s.timeline
	}
	if tr != nil {
		sr.Traffic = &results.Traffic{Requests: tr.requests, Stop: "simulated"}
	}
	if err != nil {
		sr.Error = err.Error()
		if errors.Is(err, errStopped) || s == nil {
			return sr
		}
	}
	sr.Complete = err == nil
	replay := func(ctx context.Context, fn func(*loadgen.Record) error) error {
		var ferr error
		_, _, err := play(ctx, v, st, o.Calibration, o.Seed, func(r *loadgen.Record) {
			if ferr == nil {
				ferr = fn(r)
			}
		})
		return errors.Join(ferr, ignoreStrategyErr(err))
	}
	if o.TimelineOnly {
		replay = func(context.Context, func(*loadgen.Record) error) error { return nil }
	}
	outcome.Score(ctx, sc, &sr, score.RecordSource(replay), s.clk.now)
	if sr.Error != "" {
		sr.Complete = false // scoring was interrupted
	}
	if o.TimelineOnly {
		for i := range sr.Releases {
			sc := &sr.Releases[i].Scores
			*sc = results.Scores{Outcome: sc.Outcome, TimeToDetectSeconds: sc.TimeToDetectSeconds,
				TimeToPromoteSeconds: sc.TimeToPromoteSeconds}
		}
		sr.Series = nil
	}
	return sr
}

// ignoreStrategyErr drops the strategy's own failure when replaying: it
// was recorded by the first play; only an interruption matters.
func ignoreStrategyErr(err error) error {
	if errors.Is(err, errStopped) {
		return err
	}
	return nil
}

func components(c *Calibration, v *view) map[string]string {
	return map[string]string{
		"simulator":   "coalmine sim",
		"calibration": fmt.Sprintf("%d runs, fitted %s", len(c.Provenance.Runs), c.Provenance.FittedAt.Format(time.DateOnly)),
		"timeScale":   fmt.Sprint(v.s),
	}
}

// TimeScaleOrOne is the time scale the options run at (TimeScale, or 1).
func (o Options) TimeScaleOrOne() float64 {
	if o.TimeScale == 0 {
		return 1
	}
	return o.TimeScale
}
