package score

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// Score computes one strategy's per-release scores and per-second series
// in a single pass over its records.
func Score(ctx context.Context, in Input, opts Options) (*Output, error) {
	opts = opts.withDefaults()
	if in.Records == nil {
		return nil, errors.New("score: no record source")
	}
	ws, err := buildWindows(in)
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	if n := len(ws); n > 0 && !in.End.IsZero() {
		ws[n-1].end = in.End
	}
	agg := loadgen.NewAggregator(loadgen.DefaultAggregateWindow)
	whole := map[string]counts{}
	var lastEnd time.Time
	err = in.Records(ctx, func(r *loadgen.Record) error {
		if !in.End.IsZero() && !r.Start.Before(in.End) {
			return nil
		}
		agg.Observe(r)
		if r.Version != "" {
			c := whole[r.Version]
			c.add(r.Failed())
			whole[r.Version] = c
		}
		if e := r.Start.Add(r.Latency); e.After(lastEnd) {
			lastEnd = e
		}
		if w := find(ws, r.Start); w != nil && (w.end.IsZero() || r.Start.Before(w.end)) {
			w.add(r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("score: %w", err)
	}
	end := observationEnd(in, lastEnd)
	if n := len(ws); n > 0 && ws[n-1].end.IsZero() {
		ws[n-1].end = end
	}
	out := &Output{Series: agg.Seconds()}
	for _, w := range ws {
		out.Releases = append(out.Releases, w.score(out.Series, whole, opts))
	}
	return out, nil
}

// observationEnd is Input.End, else the latest event or response end.
func observationEnd(in Input, lastResponse time.Time) time.Time {
	if !in.End.IsZero() {
		return in.End
	}
	end := lastResponse
	for _, e := range in.Timeline {
		if e.Time.After(end) {
			end = e.Time
		}
	}
	return end
}

// score turns the window's accumulated facts into the release's result.
func (w *window) score(series []results.Second, whole map[string]counts, opts Options) results.ReleaseResult {
	a := &w.acc
	rr := results.ReleaseResult{
		Index: w.rel.Index, Version: w.rel.Version, Bad: w.rel.Bad, Fault: w.rel.Fault,
		Baseline: w.baseline, ReleasedAt: w.start,
	}
	if w.rel.Bad {
		onset := w.onset
		rr.FaultOnset = &onset
	}
	base, baseN := w.baselineRate(whole)
	s := &rr.Scores
	s.Outcome = w.outcome()
	s.FailedRequests = a.own.fail
	s.CanaryRequests = a.own.req
	s.UsersAffected = len(a.users)
	s.UnattributedFailedRequests = a.unattributed.fail
	s.BaselineErrorRate = base
	s.CanaryErrorRate = a.postOnset.rate()
	s.ExcessFailedRequests = max(0, float64(a.own.fail)-base*float64(a.own.req))
	s.ConfiguredWeight = w.configuredWeight()
	if a.progressAll > 0 {
		s.ObservedShare = 100 * float64(a.progressOwn) / float64(a.progressAll)
	}
	switch s.Outcome {
	case results.OutcomeCaught:
		s.TimeToDetectSeconds = seconds(w.decidedAt.Sub(w.onset))
		s.Efficiency = w.efficiency(base, baseN, opts)
	case results.OutcomePromoted:
		s.TimeToPromoteSeconds = seconds(w.decidedAt.Sub(w.start))
	}
	if w.rel.Bad && s.Outcome != results.OutcomeMissed {
		s.TimeToRestoreSeconds = w.timeToRestore(series, opts)
	}
	return rr
}

// outcome classifies the release by its first decision.
func (w *window) outcome() results.Outcome {
	switch {
	case w.decision == results.EventAborted && w.rel.Bad:
		return results.OutcomeCaught
	case w.decision == results.EventAborted:
		return results.OutcomeFalseAlarm
	case w.decision == results.EventPromoted && w.rel.Bad:
		return results.OutcomeMissed
	case w.decision == results.EventPromoted:
		return results.OutcomePromoted
	default:
		return results.OutcomeTimeout
	}
}

// baselineRate is the error rate the release is compared with, and the
// number of requests it rests on: the baseline version in the same window,
// else every other version in the window, else the baseline version over
// the whole run.
func (w *window) baselineRate(whole map[string]counts) (float64, int) {
	if w.baseline != w.rel.Version {
		if c := w.acc.byVersion[w.baseline]; c.req > 0 {
			return c.rate(), c.req
		}
	}
	var others counts
	for v, c := range w.acc.byVersion {
		if v != w.rel.Version {
			others.req += c.req
			others.fail += c.fail
		}
	}
	if others.req > 0 {
		return others.rate(), others.req
	}
	if w.baseline != w.rel.Version {
		if c := whole[w.baseline]; c.req > 0 {
			return c.rate(), c.req
		}
	}
	return 0, 0
}

// seconds returns d in seconds, never negative.
func seconds(d time.Duration) *float64 {
	s := max(0, d.Seconds())
	return &s
}
