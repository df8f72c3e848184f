package htmlreport

import (
	"fmt"
	"math"
	"time"

	"github.com/coalmine/coalmine/reports/chart"
	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// maxPoints bounds the points per line of a chart.
const maxPoints = 360

// releaseSpan is the part of a strategy's run one release chart shows.
type releaseSpan struct {
	rel       *results.ReleaseResult
	from, to  time.Time // chart range (from includes a lead-in)
	windowEnd time.Time // next release or end of run
	events    []results.Event
	strategy  string
}

// releaseChart draws traffic, error rate, canary weight and latency of one
// release with its markers and analysis measurements.
func releaseChart(sp releaseSpan, series []results.Second) string {
	rel := sp.rel
	base := rel.ReleasedAt
	x := func(t time.Time) float64 { return t.Sub(base).Seconds() }
	from, to := sp.from.Unix(), sp.to.Unix()+1
	bk := bucketize(series, from, to, maxPoints)
	ux := func(i int) float64 { return bk.x(i) - float64(base.UnixNano())/1e9 }
	span := float64(to - from)
	k := int(math.Ceil(math.Max(float64(bk.size), roundSeconds(span/20)) / float64(bk.size)))
	window := int64(k) * bk.size
	canary, baseline := rel.Version, rel.Baseline

	tc := &chart.TimeChart{
		Label: fmt.Sprintf("Timeline of release %d (%s) under %s", rel.Index, rel.Version, sp.strategy),
		XMin:  x(sp.from), XMax: x(sp.to), XFormat: clock, XTitle: "time since release (m:ss)",
		DotsLabel: "analysis",
	}
	tc.Panels = []chart.Panel{
		trafficPanel(bk, ux, canary),
		errorPanel(bk, ux, k, window, baseline, canary),
		weightPanel(bk, ux, k, window, canary, sp.events, x, tc.XMax),
		latencyPanel(bk, ux, baseline, canary),
	}
	tc.Markers, tc.Dots = releaseMarks(sp, x)
	return tc.SVG()
}

func trafficPanel(bk *buckets, ux func(int) float64, canary string) chart.Panel {
	total := chart.Series{Name: "total", Class: "s-total", Area: true}
	can := chart.Series{Name: canary, Class: "s-canary"}
	size := float64(bk.size)
	for i := range bk.n {
		req, _ := bk.total(i, false)
		total.Points = append(total.Points, chart.Point{X: ux(i), Y: float64(req) / size})
		c := 0
		if a := bk.byVersion[canary]; a != nil {
			c = a[i].requests
		}
		can.Points = append(can.Points, chart.Point{X: ux(i), Y: float64(c) / size})
	}
	return chart.Panel{Title: "Traffic · requests/s", Height: 80, Series: []chart.Series{total, can}}
}

func errorPanel(bk *buckets, ux func(int) float64, k int, window int64, baseline, canary string) chart.Panel {
	p := chart.Panel{Title: fmt.Sprintf("Error rate · %% (rolling %s)", scoreboard.Seconds(float64(window))), Height: 90,
		YFormat: func(v float64) string { return trimPct(v) }}
	add := func(name, version, class string) {
		aggs := bk.byVersion[version]
		if aggs == nil {
			return
		}
		s := chart.Series{Name: name, Class: class}
		for i := range bk.n {
			e, r := rolling(i, k, func(j int) (int, int) { return aggs[j].errors, aggs[j].requests })
			s.Points = append(s.Points, chart.Point{X: ux(i), Y: ratio(e, r)})
		}
		p.Series = append(p.Series, s)
	}
	add(baseline+" (baseline)", baseline, "s-base")
	add(canary+" (canary)", canary, "s-canary")
	if aggs := bk.byVersion[""]; aggs != nil {
		s := chart.Series{Name: "no response (% of all)", Class: "s-none", Dashed: true}
		for i := range bk.n {
			e, r := rolling(i, k, func(j int) (int, int) {
				req, _ := bk.total(j, false)
				return aggs[j].errors, req
			})
			s.Points = append(s.Points, chart.Point{X: ux(i), Y: ratio(e, r)})
		}
		p.Series = append(p.Series, s)
	}
	return p
}

func weightPanel(bk *buckets, ux func(int) float64, k int, window int64, canary string,
	events []results.Event, x func(time.Time) float64, xmax float64) chart.Panel {
	conf := chart.Series{Name: "configured", Class: "s-conf", Step: true, Dashed: true, Points: []chart.Point{{X: 0, Y: 0}}}
	last := 0.0
	for _, e := range events {
		if e.Kind == results.EventWeight && e.Weight != nil {
			last = float64(*e.Weight)
			conf.Points = append(conf.Points, chart.Point{X: math.Max(0, x(e.Time)), Y: last})
		}
	}
	conf.Points = append(conf.Points, chart.Point{X: xmax, Y: last})
	obs := chart.Series{Name: fmt.Sprintf("observed share (rolling %s)", scoreboard.Seconds(float64(window))), Class: "s-canary"}
	aggs := bk.byVersion[canary]
	for i := range bk.n {
		if aggs == nil {
			obs.Points = append(obs.Points, chart.Point{X: ux(i), Y: 0})
			continue
		}
		c, all := rolling(i, k, func(j int) (int, int) {
			req, _ := bk.total(j, true)
			return aggs[j].requests, req
		})
		obs.Points = append(obs.Points, chart.Point{X: ux(i), Y: ratio(c, all)})
	}
	return chart.Panel{Title: "Canary weight · %", Height: 70, YMax: 100, Series: []chart.Series{conf, obs}}
}

func latencyPanel(bk *buckets, ux func(int) float64, baseline, canary string) chart.Panel {
	p := chart.Panel{Title: "Latency · ms", Height: 90}
	for _, v := range []struct{ version, class string }{{baseline, "s-base"}, {canary, "s-canary"}} {
		aggs := bk.byVersion[v.version]
		if aggs == nil {
			continue
		}
		p50 := chart.Series{Name: "p50 " + v.version, Class: v.class, Thin: true}
		p99 := chart.Series{Name: "p99 " + v.version, Class: v.class}
		for i := range bk.n {
			y50, y99 := math.NaN(), math.NaN()
			if a := aggs[i]; a.requests > 0 {
				y50, y99 = a.p50Sum/float64(a.requests), a.p99
			}
			p50.Points = append(p50.Points, chart.Point{X: ux(i), Y: y50})
			p99.Points = append(p99.Points, chart.Point{X: ux(i), Y: y99})
		}
		p.Series = append(p.Series, p50, p99)
	}
	return p
}

// minRateRequests is the fewest requests a rolling window needs before a
// rate is drawn: below it one request swings the line by 10 % or more.
const minRateRequests = 10

// ratio is 100·a/b, NaN when b is too small to mean anything.
func ratio(a, b int) float64 {
	if b < minRateRequests {
		return math.NaN()
	}
	return 100 * float64(a) / float64(b)
}

// roundSeconds rounds a duration up to 1, 2, 5, 10, 15, 30 s or whole minutes.
func roundSeconds(s float64) float64 {
	for _, r := range []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600} {
		if s <= r {
			return r
		}
	}
	return 3600
}
