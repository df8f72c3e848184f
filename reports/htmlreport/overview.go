package htmlreport

import (
	"fmt"
	"math"
	"time"

	"github.com/coalmine/coalmine/reports/chart"
	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// overviewChart draws a strategy's whole run: total traffic following the
// day's curve, each release's span shaded by its outcome.
func overviewChart(s *results.StrategyRun, start, end time.Time, spans []releaseSpan) string {
	x := func(t time.Time) float64 { return t.Sub(start).Seconds() }
	bk := bucketize(s.Series, start.Unix(), end.Unix()+1, maxPoints)
	ux := func(i int) float64 { return bk.x(i) - float64(start.UnixNano())/1e9 }
	total := chart.Series{Name: "total requests/s", Class: "s-total", Area: true}
	for i := range bk.n {
		req, _ := bk.total(i, false)
		total.Points = append(total.Points, chart.Point{X: ux(i), Y: float64(req) / float64(bk.size)})
	}
	tc := &chart.TimeChart{
		Label: "Traffic over the whole run under " + s.Name, XMin: 0, XMax: math.Max(1, x(end)),
		XFormat: clock, XTitle: "time since start (h:mm:ss)",
		Panels: []chart.Panel{{Title: "Traffic · requests/s (whole run)", Height: 70, Series: []chart.Series{total}}},
	}
	for _, sp := range spans {
		rel := sp.rel
		until := decisionTime(sp.events, sp.windowEnd)
		tc.Bands = append(tc.Bands, chart.Band{From: x(rel.ReleasedAt), To: x(until), Class: "band-" + string(rel.Scores.Outcome),
			Title: fmt.Sprintf("release %d %s: %s", rel.Index, rel.Version, rel.Scores.Outcome)})
		tc.Markers = append(tc.Markers, chart.Marker{X: x(rel.ReleasedAt), Label: rel.Version + " " + outcomeWord(rel.Scores.Outcome),
			Class: "m-" + string(rel.Scores.Outcome), Title: fmt.Sprintf("release %d %s at %s", rel.Index, rel.Version, stamp(rel.ReleasedAt))})
	}
	return tc.SVG()
}

// decisionTime is the first abort/promote event's time, else def.
func decisionTime(events []results.Event, def time.Time) time.Time {
	for _, e := range events {
		if e.Kind == results.EventAborted || e.Kind == results.EventPromoted {
			return e.Time
		}
	}
	return def
}

// costRiskChart plots one point per row: median time to promote good
// releases against excess failed requests of bad ones.
func costRiskChart(b *scoreboard.Board, palette map[string]string) string {
	sc := &chart.Scatter{
		Label:   "Cost versus risk for " + b.Scenario,
		XTitle:  "median time to promote a good release",
		YTitle:  "excess failed requests (bad releases)",
		XFormat: func(v float64) string { return clock(v) },
		YFormat: func(v float64) string { return scoreboard.Count(v) },
		Gutter:  "never", Better: "better: fast to ship, little harm", XSeconds: true,
	}
	for _, r := range b.Rows {
		xv := math.NaN()
		if r.MedianTTP != nil {
			xv = *r.MedianTTP
		}
		sc.Points = append(sc.Points, chart.ScatterPoint{
			X: xv, Y: r.ExcessFailed, Label: fmt.Sprintf("#%d %s", r.Rank, r.Name()), Class: palette[r.Strategy.Name],
			Title: fmt.Sprintf("%s: promoted %d/%d good in a median %s; %s excess failed requests over %d bad releases",
				r.Name(), r.Promoted, r.Good, scoreboard.Duration(r.MedianTTP), scoreboard.Count(r.ExcessFailed), r.Bad),
		})
	}
	return sc.SVG()
}

func outcomeWord(o results.Outcome) string {
	if o == results.OutcomeFalseAlarm {
		return "false alarm"
	}
	return string(o)
}
