package outcome

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/reports"
	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// New starts the results of a run of s in env: scenario, environment,
// components and seed.
func New(s *scenarios.Scenario, env results.Environment, components map[string]string, seed int64,
	started time.Time) (*results.Results, error) {
	y, err := yaml.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("scenario yaml: %w", err)
	}
	return &results.Results{
		SchemaVersion: results.SchemaVersion,
		Scenario: results.ScenarioInfo{
			Name: s.Metadata.Name, Description: s.Metadata.Description, Source: s.Source, YAML: string(y),
			TimeScale: s.Spec.TimeScale, DayLengthSeconds: s.Spec.Traffic.DayLength.Seconds(),
		},
		Environment: env,
		Components:  components,
		Seed:        seed,
		StartedAt:   started,
	}, nil
}

// StrategyRun starts the results of strategy st: its name, the file as
// written and the seed.
func StrategyRun(st *scenarios.Strategy, seed int64) results.StrategyRun {
	doc, tmpls := st.Documents()
	return results.StrategyRun{Name: st.Name, StrategyYAML: doc, AnalysisTemplatesYAML: tmpls, Seed: seed}
}

// Score fills sr's releases and per-second series from its records and
// timeline; end is when observation stopped. A release counts only once
// it was made. A scoring failure is added to sr.Error.
func Score(ctx context.Context, s *scenarios.Scenario, sr *results.StrategyRun, records score.RecordSource, end time.Time) {
	in := score.Input{Stable: s.Spec.App.Version, Timeline: sr.Timeline, Records: records, End: end}
	released := map[int]bool{}
	for _, ev := range sr.Timeline {
		if ev.Kind == results.EventReleased {
			released[ev.Release] = true
		}
	}
	for k, rel := range s.Spec.Releases {
		if released[k+1] {
			in.Releases = append(in.Releases, score.Release{Index: k + 1, Version: rel.Version, Bad: rel.Bad(), Fault: rel.Fault.Summary()})
		}
	}
	out, err := score.Score(ctx, in, score.Options{})
	if err != nil {
		sr.Error = strings.TrimPrefix(sr.Error+"; ", "; ") + err.Error()
		return
	}
	sr.Releases, sr.Series = out.Releases, out.Series
}

// Finish marks res complete or not (interrupted, or a strategy failed),
// checks the scenario's expectations (their bounds stretched by k, 1 for a
// run at the scenario's own time scale) and writes results.json and the
// reports into dir. warn receives a problem with the expectations
// (score.ErrUnmatched among them: one that matches no release).
func Finish(ctx context.Context, res *results.Results, s *scenarios.Scenario, dir string, k float64, warn func(error)) error {
	var problems []string
	for _, sr := range res.Strategies {
		if sr.Error != "" {
			problems = append(problems, sr.Name+": "+sr.Error)
		}
	}
	res.Complete = len(problems) == 0 && ctx.Err() == nil
	if !res.Complete {
		res.IncompleteReason = incompleteReason(ctx, problems)
	}
	if err := score.Apply(res, expectations(s, k)); err != nil {
		warn(err)
	}
	wctx := context.WithoutCancel(ctx)
	if err := results.Write(dir, res); err != nil {
		return err
	}
	return reports.WriteAll(wctx, dir, res)
}

func incompleteReason(ctx context.Context, problems []string) string {
	if ctx.Err() != nil {
		return "interrupted: " + context.Cause(ctx).Error()
	}
	return strings.Join(problems, "; ")
}
