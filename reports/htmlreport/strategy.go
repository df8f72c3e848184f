package htmlreport

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

func strategyOf(run int, r *results.Results, s *results.StrategyRun, ranks map[*results.StrategyRun]int, pal map[string]string) *strategyView {
	v := &strategyView{
		ID: strategyID(run, s.Name), Name: s.Name, Namespace: s.Namespace, Palette: pal[s.Name], Rank: ranks[s],
		Error: s.Error, StrategyYAML: s.StrategyYAML, TemplatesYAML: s.AnalysisTemplatesYAML,
	}
	start, end := runStart(r, s), runEnd(r, s)
	spans := releaseSpans(s, start, end)
	v.Overview = template.HTML(overviewChart(s, start, end, spans))
	for _, sp := range spans {
		rv := releaseOf(sp)
		rv.ID = fmt.Sprintf("%s-release-%d", v.ID, sp.rel.Index)
		rv.Chart = template.HTML(releaseChart(sp, s.Series))
		v.Releases = append(v.Releases, rv)
	}
	for i, e := range s.Timeline {
		if i == maxEvents {
			v.MoreEvents = len(s.Timeline) - maxEvents
			break
		}
		v.Events = append(v.Events, eventView{
			At: clock(e.Time.Sub(start).Seconds()), Release: fmt.Sprint(e.Release), Kind: string(e.Kind), Detail: eventDetail(e),
		})
	}
	return v
}

// releaseSpans cuts the run into one span per release: from a lead-in
// before its release to the next release (or the end).
func releaseSpans(s *results.StrategyRun, start, end time.Time) []releaseSpan {
	var out []releaseSpan
	for i := range s.Releases {
		rel := &s.Releases[i]
		if rel.ReleasedAt.Before(start) {
			// A release without a time (a failed run): show it at the start.
			r := *rel
			r.ReleasedAt = start
			rel = &r
		}
		winEnd := end
		if i+1 < len(s.Releases) && s.Releases[i+1].ReleasedAt.After(rel.ReleasedAt) {
			winEnd = s.Releases[i+1].ReleasedAt
		}
		span := winEnd.Sub(rel.ReleasedAt)
		lead := min(max(span*15/100, 10*time.Second), 2*time.Minute)
		from := rel.ReleasedAt.Add(-lead)
		if from.Before(start) {
			from = start
		}
		sp := releaseSpan{rel: rel, from: from, to: winEnd, windowEnd: winEnd, strategy: s.Name}
		for _, e := range s.Timeline {
			if e.Release == rel.Index {
				sp.events = append(sp.events, e)
			}
		}
		sp.to = focusEnd(sp)
		out = append(out, sp)
	}
	return out
}

// focusEnd ends an aborted release's chart shortly after the abort and the
// restore, so the part that matters fills the width; promoted, missed and
// undecided releases show their whole window (what the new version did
// after promotion is the blast radius of a miss).
func focusEnd(sp releaseSpan) time.Time {
	rel := sp.rel
	o := rel.Scores.Outcome
	if o != results.OutcomeCaught && o != results.OutcomeFalseAlarm {
		return sp.windowEnd
	}
	decided := decisionTime(sp.events, sp.windowEnd)
	last := decided
	if t := rel.Scores.TimeToRestoreSeconds; t != nil && rel.FaultOnset != nil {
		if r := rel.FaultOnset.Add(time.Duration(*t * float64(time.Second))); r.After(last) {
			last = r
		}
	}
	tail := max(30*time.Second, decided.Sub(rel.ReleasedAt)/2)
	if end := last.Add(tail); end.Before(sp.windowEnd) {
		return end
	}
	return sp.windowEnd
}

func releaseOf(sp releaseSpan) *releaseView {
	rel := sp.rel
	sc := &rel.Scores
	kind := "good"
	if rel.Bad {
		kind = "bad"
	}
	v := &releaseView{
		Title: fmt.Sprintf("Release %d · %s (%s)", rel.Index, rel.Version, kind), Fault: rel.Fault,
		Outcome: outcomeWord(sc.Outcome), OutcomeClass: "o-" + string(sc.Outcome),
		Headline: headline(rel),
	}
	if rel.Bad {
		v.Chips = append(v.Chips,
			chip{Label: "time to detect", Value: scoreboard.Duration(sc.TimeToDetectSeconds), Note: "fault onset → abort"},
			chip{Label: "time to restore", Value: restoreValue(rel), Note: "onset → last bad response"},
			chip{Label: "excess failed requests", Value: scoreboard.Count(sc.ExcessFailedRequests),
				Note: fmt.Sprintf("%s failed in all", scoreboard.Int(sc.FailedRequests)), Class: harmClass(sc.ExcessFailedRequests)},
			chip{Label: "users affected", Value: scoreboard.Int(sc.UsersAffected), Note: "saw ≥ 1 failure from " + rel.Version},
		)
	} else {
		v.Chips = append(v.Chips,
			chip{Label: "time to promote", Value: scoreboard.Duration(sc.TimeToPromoteSeconds), Note: "release → promoted"},
			chip{Label: "failed requests", Value: scoreboard.Int(sc.FailedRequests), Note: fmt.Sprintf("%s above baseline", scoreboard.Count(sc.ExcessFailedRequests))},
		)
	}
	v.Chips = append(v.Chips,
		chip{Label: "error rate", Value: scoreboard.Percent(sc.CanaryErrorRate), Note: "baseline " + scoreboard.Percent(sc.BaselineErrorRate)},
		chip{Label: "canary share", Value: scoreboard.Pct(sc.ObservedShare), Note: "configured " + scoreboard.Pct(sc.ConfiguredWeight)},
		chip{Label: "canary requests", Value: scoreboard.Int(sc.CanaryRequests), Note: "served by " + rel.Version},
	)
	if sc.UnattributedFailedRequests > 0 {
		v.Chips = append(v.Chips, chip{Label: "no response", Value: scoreboard.Int(sc.UnattributedFailedRequests), Note: "failures without a version", Class: "warn"})
	}
	if e := sc.Efficiency; e != nil {
		v.Efficiency = fmt.Sprintf("Statistical limit: Wald's SPRT needs on average %s canary requests to tell %s from %s (α = 1 %%, power 95 %%); this strategy aborted after %s — %.1f× the limit.",
			scoreboard.Count(e.SPRTRequests), scoreboard.Percent(sc.CanaryErrorRate), scoreboard.Percent(sc.BaselineErrorRate),
			scoreboard.Int(e.RequestsToDetect), e.Ratio)
	}
	for _, e := range rel.Expectations {
		v.Expectations = append(v.Expectations, expView{Passed: e.Passed, Name: e.Name, Reason: e.Reason})
	}
	return v
}

func restoreValue(rel *results.ReleaseResult) string {
	if rel.Scores.TimeToRestoreSeconds == nil {
		return "not restored"
	}
	return scoreboard.Duration(rel.Scores.TimeToRestoreSeconds)
}

func harmClass(excess float64) string {
	if excess >= 1 {
		return "warn"
	}
	return ""
}

// headline says in words what happened to a release.
func headline(rel *results.ReleaseResult) string {
	sc := &rel.Scores
	switch sc.Outcome {
	case results.OutcomeCaught:
		s := "Caught " + scoreboard.Duration(sc.TimeToDetectSeconds) + " after the fault began"
		if sc.TimeToRestoreSeconds != nil {
			return s + "; the bad version's last response came " + scoreboard.Duration(sc.TimeToRestoreSeconds) + " after onset."
		}
		return s + ", but the records never show the bad version stop serving."
	case results.OutcomeMissed:
		return "Missed: the bad version was promoted and served " + scoreboard.Int(sc.CanaryRequests) + " requests."
	case results.OutcomeFalseAlarm:
		return "False alarm: a good release was aborted."
	case results.OutcomePromoted:
		return "Promoted " + scoreboard.Duration(sc.TimeToPromoteSeconds) + " after release."
	default:
		return "Neither aborted nor promoted before the harness stopped waiting."
	}
}

func eventDetail(e results.Event) string {
	var parts []string
	if e.Step != nil {
		parts = append(parts, fmt.Sprintf("step %d", *e.Step))
	}
	if e.Weight != nil {
		parts = append(parts, fmt.Sprintf("weight %d %%", *e.Weight))
	}
	if e.Metric != "" {
		parts = append(parts, fmt.Sprintf("%s = %s → %s", e.Metric, e.Value, e.Phase))
	} else if e.Phase != "" {
		parts = append(parts, e.Phase)
	}
	if e.AnalysisRun != "" {
		parts = append(parts, e.AnalysisRun)
	}
	if e.Reason != "" {
		parts = append(parts, e.Reason)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	return strings.Join(parts, " · ")
}
