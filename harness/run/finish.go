package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

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
	res, err := e.newResults(started)
	if err != nil {
		return nil, err
	}
	wctx := context.WithoutCancel(ctx)
	var problems []string
	for _, r := range runners {
		e.score(wctx, r)
		res.Strategies = append(res.Strategies, r.res)
		if r.res.Error != "" {
			problems = append(problems, r.strat.Name+": "+r.res.Error)
		}
	}
	res.FinishedAt = o.Now()
	res.Complete = len(problems) == 0 && ctx.Err() == nil
	if !res.Complete {
		res.IncompleteReason = incompleteReason(ctx, problems)
	}
	if err := score.Apply(res, expectations(o.Scenario)); err != nil {
		if !errors.Is(err, score.ErrUnmatched) || len(o.Strategies) == 0 {
			o.Logger.Warn("expectations", "err", err)
		}
	}
	if err := e.write(wctx, res); err != nil {
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

func incompleteReason(ctx context.Context, problems []string) string {
	if ctx.Err() != nil {
		return "interrupted: " + context.Cause(ctx).Error()
	}
	return strings.Join(problems, "; ")
}

// score fills the strategy's releases and series from its records and
// timeline. A release counts only once it was made.
func (e *engine) score(ctx context.Context, r *strategyRunner) {
	if r.traffic == nil {
		return
	}
	in := score.Input{
		Stable:   e.o.Scenario.Spec.App.Version,
		Timeline: r.res.Timeline,
		Records:  score.FileSource(filepath.Join(e.o.OutDir, filepath.FromSlash(r.res.RecordsFile))),
		End:      r.stoppedAt,
	}
	released := map[int]bool{}
	for _, ev := range r.res.Timeline {
		if ev.Kind == results.EventReleased {
			released[ev.Release] = true
		}
	}
	for k, rel := range e.o.Scenario.Spec.Releases {
		if released[k+1] {
			in.Releases = append(in.Releases, score.Release{Index: k + 1, Version: rel.Version, Bad: rel.Bad(), Fault: rel.Fault.Summary()})
		}
	}
	out, err := score.Score(ctx, in, score.Options{})
	if err != nil {
		r.res.Error = strings.TrimPrefix(r.res.Error+"; ", "; ") + err.Error()
		return
	}
	r.res.Releases, r.res.Series = out.Releases, out.Series
}

// write writes results.json and the reports (HTML, Markdown, JUnit) into
// the output directory.
func (e *engine) write(ctx context.Context, res *results.Results) error {
	if err := results.Write(e.o.OutDir, res); err != nil {
		return err
	}
	return reports.WriteAll(ctx, e.o.OutDir, res)
}
