package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/coalmine/coalmine/outcome"

	"github.com/coalmine/coalmine/reports"
	"github.com/coalmine/coalmine/reports/markdown"
	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/results"
)

// finish scores every strategy, checks the expectations, writes
// results.json and the reports, and prints the scoreboard. Scoring and
// writing happen even after an interrupt, on whatever was recorded.
func (e *engine) finish(ctx context.Context, started time.Time, runners []*strategyRunner) (*results.Results, error) {
	o := e.o
	res, err := outcome.New(o.Scenario, o.Cluster.Environment, e.components(), o.Seed, started)
	if err != nil {
		return nil, err
	}
	wctx := context.WithoutCancel(ctx)
	for _, r := range runners {
		if r.traffic != nil {
			records := score.FileSource(filepath.Join(o.OutDir, filepath.FromSlash(r.res.RecordsFile)))
			outcome.Score(wctx, o.Scenario, &r.res, records, r.stoppedAt)
		}
		res.Strategies = append(res.Strategies, r.res)
	}
	res.FinishedAt = o.Now()
	err = outcome.Finish(ctx, res, o.Scenario, o.OutDir, 1, func(err error) {
		if !errors.Is(err, score.ErrUnmatched) || len(o.Strategies) == 0 {
			o.Logger.Warn("expectations", "err", err)
		}
	})
	if err != nil {
		return res, err
	}
	if o.Progress != nil {
		fmt.Fprintln(o.Progress)
		if err := markdown.Write(wctx, o.Progress, res); err != nil {
			return res, err
		}
		fmt.Fprintf(o.Progress, "\nresults: %s (reports: %s, %s, %s)\n", filepath.Join(o.OutDir, results.FileName),
			reports.HTMLFile, reports.MarkdownFile, reports.JUnitFile)
	}
	if !res.Complete {
		return res, fmt.Errorf("%w: %s", ErrIncomplete, res.IncompleteReason)
	}
	return res, nil
}
