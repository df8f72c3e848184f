package htmlreport

import (
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// page is everything the template shows.
type page struct {
	Title       string
	Subtitle    string
	RankingRule string
	Boards      []*boardView
	Runs        []*runView
}

type boardView struct {
	ID, Scenario string
	Verdict      string
	Rows         []rowView
	CostRisk     template.HTML
}

type rowView struct {
	Rank                          int
	Name, Anchor, Palette         string
	Caught, CaughtClass           string
	Missed, FalseAlarms, Timeouts int
	TTD, TTR, TTP                 string
	Unrestored                    int
	Failed, Excess, Users         string
	Exp, ExpClass                 string
	Error                         string
}

type runView struct {
	ID, Label, Scenario, Description        string
	Env, Started, Duration, Seed, TimeScale string
	Complete                                bool
	Incomplete, ScenarioYAML, Source        string
	Components                              [][2]string
	Strategies                              []*strategyView
}

type strategyView struct {
	ID, Name, Namespace, Palette string
	Rank                         int
	Error                        string
	Overview                     template.HTML
	Releases                     []*releaseView
	StrategyYAML, TemplatesYAML  string
	Events                       []eventView
	MoreEvents                   int
}

type releaseView struct {
	ID, Title, Fault      string
	Outcome, OutcomeClass string
	Headline              string
	Chips                 []chip
	Efficiency            string
	Expectations          []expView
	Chart                 template.HTML
}

type chip struct{ Label, Value, Note, Class string }

type expView struct {
	Passed       bool
	Name, Reason string
}

type eventView struct{ At, Release, Kind, Detail string }

// maxEvents bounds the event log shown per strategy.
const maxEvents = 400

// palette classes, assigned to strategy names in order of appearance.
var palette = []string{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"}

func buildPage(runs []*results.Results) *page {
	pal := map[string]string{}
	for _, r := range runs {
		for _, s := range r.Strategies {
			if _, ok := pal[s.Name]; !ok {
				pal[s.Name] = palette[len(pal)%len(palette)]
			}
		}
	}
	p := &page{RankingRule: scoreboard.RankingRule}
	boards := scoreboard.Build(runs...)
	ranks := map[*results.StrategyRun]int{}
	var names []string
	for _, b := range boards {
		bv := &boardView{ID: "board-" + slug(b.Scenario), Scenario: b.Scenario, CostRisk: template.HTML(costRiskChart(b, pal))}
		for _, r := range b.Rows {
			ranks[r.Strategy] = r.Rank
			bv.Rows = append(bv.Rows, rowOf(r, runs, pal))
		}
		bv.Verdict = verdict(b)
		p.Boards = append(p.Boards, bv)
		names = append(names, b.Scenario)
	}
	for i, r := range runs {
		p.Runs = append(p.Runs, runOf(i, r, len(runs) > 1, ranks, pal))
	}
	p.Title = "coalmine · " + strings.Join(names, " vs ")
	p.Subtitle = subtitle(runs)
	return p
}

func subtitle(runs []*results.Results) string {
	if len(runs) == 1 {
		r := runs[0]
		return fmt.Sprintf("%s · %s · %d strategies", r.Environment.Kind, r.StartedAt.UTC().Format("2006-01-02 15:04 UTC"), len(r.Strategies))
	}
	return fmt.Sprintf("comparison of %d runs", len(runs))
}

func rowOf(r *scoreboard.Row, runs []*results.Results, pal map[string]string) rowView {
	v := rowView{
		Rank: r.Rank, Name: r.Name(), Anchor: strategyID(runIndex(runs, r.Run), r.Strategy.Name), Palette: pal[r.Strategy.Name],
		Caught: fmt.Sprintf("%d/%d", r.Caught, r.Bad), Missed: r.Missed, FalseAlarms: r.FalseAlarms,
		Timeouts: r.BadTimeouts + r.GoodTimeouts, TTD: scoreboard.Duration(r.MedianTTD), TTR: scoreboard.Duration(r.MaxTTR),
		Unrestored: r.Unrestored, TTP: scoreboard.Duration(r.MedianTTP),
		Failed: scoreboard.Int(r.FailedRequests), Excess: scoreboard.Count(r.ExcessFailed), Users: scoreboard.Int(r.UsersAffected),
		Error: r.Strategy.Error,
	}
	v.CaughtClass = "good"
	if r.Caught < r.Bad {
		v.CaughtClass = "bad"
	}
	switch {
	case r.ExpPassed+r.ExpFailed == 0:
		v.Exp = "—"
	case r.ExpFailed > 0:
		v.Exp, v.ExpClass = fmt.Sprintf("%d failed", r.ExpFailed), "bad"
	default:
		v.Exp, v.ExpClass = fmt.Sprintf("all %d passed", r.ExpPassed), "good"
	}
	return v
}

// verdict is the one-sentence summary of a board's winner.
func verdict(b *scoreboard.Board) string {
	if len(b.Rows) == 0 {
		return "No strategies ran."
	}
	r := b.Rows[0]
	s := fmt.Sprintf("%s ranks first: it caught %d of %d bad releases", r.Name(), r.Caught, r.Bad)
	if r.MedianTTD != nil {
		s += " with a median time to detect of " + scoreboard.Duration(r.MedianTTD)
	}
	s += fmt.Sprintf(", let %s excess failed requests through, and promoted %d of %d good releases",
		scoreboard.Count(r.ExcessFailed), r.Promoted, r.Good)
	if r.MedianTTP != nil {
		s += " in a median " + scoreboard.Duration(r.MedianTTP)
	}
	return s + "."
}

func runIndex(runs []*results.Results, r *results.Results) int {
	return slices.Index(runs, r)
}

func runOf(i int, r *results.Results, multi bool, ranks map[*results.StrategyRun]int, pal map[string]string) *runView {
	v := &runView{
		ID: fmt.Sprintf("run-%d", i+1), Label: r.Label(), Scenario: r.Scenario.Name, Description: r.Scenario.Description,
		Env: envLine(r.Environment), Started: r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"),
		Duration: scoreboard.Seconds(r.FinishedAt.Sub(r.StartedAt).Seconds()), Seed: fmt.Sprint(r.Seed),
		Complete: r.Complete, Incomplete: r.IncompleteReason, ScenarioYAML: r.Scenario.YAML, Source: r.Scenario.Source,
	}
	if r.Scenario.TimeScale > 0 {
		v.TimeScale = fmt.Sprintf("×%g (a simulated day lasts %s)", r.Scenario.TimeScale, scoreboard.Seconds(r.Scenario.DayLengthSeconds))
	}
	for _, k := range slices.Sorted(maps.Keys(r.Components)) {
		v.Components = append(v.Components, [2]string{k, r.Components[k]})
	}
	for si := range r.Strategies {
		v.Strategies = append(v.Strategies, strategyOf(i, r, &r.Strategies[si], ranks, pal))
	}
	return v
}

func envLine(e results.Environment) string {
	parts := []string{e.Kind}
	if e.Images != "" {
		parts = append(parts, "images: "+e.Images)
	}
	if e.Cluster != "" {
		parts = append(parts, "cluster: "+e.Cluster)
	}
	if e.Context != "" {
		parts = append(parts, "context: "+e.Context)
	}
	return strings.Join(parts, " · ")
}

func strategyID(run int, name string) string { return fmt.Sprintf("run-%d-%s", run+1, slug(name)) }

// slug makes an HTML id fragment of s.
func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// runEnd is the end of a strategy's observation: the run's end, or later
// data when there is some.
func runEnd(r *results.Results, s *results.StrategyRun) time.Time {
	end := r.FinishedAt
	if n := len(s.Series); n > 0 {
		if t := time.Unix(s.Series[n-1].T+1, 0); t.After(end) {
			end = t
		}
	}
	for _, e := range s.Timeline {
		if e.Time.After(end) {
			end = e.Time
		}
	}
	return end
}

// runStart is the start of a strategy's observation.
func runStart(r *results.Results, s *results.StrategyRun) time.Time {
	start := r.StartedAt
	if len(s.Series) > 0 {
		if t := time.Unix(s.Series[0].T, 0); start.IsZero() || t.Before(start) {
			start = t
		}
	}
	for _, e := range s.Timeline {
		if start.IsZero() || e.Time.Before(start) {
			start = e.Time
		}
	}
	return start
}
