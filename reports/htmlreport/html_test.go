package htmlreport

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/coalmine/coalmine/reports/internal/fixture"
	"github.com/coalmine/coalmine/results"
)

func render(t testing.TB, c fixture.Case) ([]*results.Results, []byte) {
	t.Helper()
	runs, err := fixture.BuildAll(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, runs...); err != nil {
		t.Fatal(err)
	}
	return runs, buf.Bytes()
}

// Small DOM helpers over golang.org/x/net/html.

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attrOf(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// all returns the element descendants of n matching pred, in order.
func all(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && pred(c) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func tagClass(name, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name && hasClass(n, class) }
}

func byID(n *html.Node, id string) *html.Node {
	found := all(n, func(n *html.Node) bool { return attrOf(n, "id") == id })
	if len(found) == 0 {
		return nil
	}
	return found[0]
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestReportStructure(t *testing.T) {
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			runs, out := render(t, c)
			doc := parse(t, out)
			boards := all(doc, tagClass("section", "board-card"))
			scenarios := map[string]bool{}
			rows := 0
			for _, r := range runs {
				scenarios[r.Scenario.Name] = true
				rows += len(r.Strategies)
			}
			if len(boards) != len(scenarios) {
				t.Fatalf("%d scoreboards, want %d", len(boards), len(scenarios))
			}
			if got := len(all(doc, func(n *html.Node) bool {
				return n.Data == "tr" && n.Parent.Data == "tbody" && hasClass(n.Parent.Parent, "board")
			})); got != rows {
				t.Errorf("%d scoreboard rows, want %d", got, rows)
			}
			if !strings.Contains(text(doc), "Ranked by: most bad releases caught") {
				t.Error("the ranking rule is not stated")
			}
			if n := len(all(doc, tagClass("figure", "costrisk"))); n != len(boards) {
				t.Errorf("%d cost-versus-risk charts, want %d", n, len(boards))
			}
			wantCharts := len(boards)
			for ri, r := range runs {
				checkRun(t, doc, ri, r)
				for _, s := range r.Strategies {
					wantCharts += 1 + len(s.Releases)
				}
			}
			charts := all(doc, tagClass("figure", "chartbox"))
			if len(charts) != wantCharts {
				t.Errorf("%d chart figures, want %d", len(charts), wantCharts)
			}
			for _, f := range charts {
				if svgs := all(f, tag("svg")); len(svgs) != 1 || attrOf(svgs[0], "viewBox") == "" {
					t.Errorf("chart figure %q needs exactly one <svg> with a viewBox", attrOf(f, "class"))
				}
			}
			checkSelfContained(t, doc)
		})
	}
}

// checkRun checks one run's section: strategies, releases, YAML and
// components.
func checkRun(t *testing.T, doc *html.Node, ri int, r *results.Results) {
	t.Helper()
	for _, s := range r.Strategies {
		sec := byID(doc, strategyID(ri, s.Name))
		if sec == nil {
			t.Errorf("no section for strategy %s", s.Name)
			continue
		}
		if n := len(all(sec, tagClass("figure", "overview"))); n != 1 {
			t.Errorf("%s: %d overview charts, want 1", s.Name, n)
		}
		arts := all(sec, tagClass("article", "release"))
		if len(arts) != len(s.Releases) {
			t.Errorf("%s: %d release articles, want %d", s.Name, len(arts), len(s.Releases))
		}
		for i, a := range arts {
			if i < len(s.Releases) && !strings.Contains(text(a), string(s.Releases[i].Version)) {
				t.Errorf("%s release %d does not name its version", s.Name, i)
			}
			if n := len(all(a, tagClass("figure", "timeline"))); n != 1 {
				t.Errorf("%s release %d: %d timeline charts, want 1", s.Name, i, n)
			}
		}
		var pres []string
		for _, p := range all(sec, tag("pre")) {
			pres = append(pres, text(p))
		}
		if !contains(pres, s.StrategyYAML) {
			t.Errorf("%s: strategy YAML is not shown verbatim", s.Name)
		}
		if s.AnalysisTemplatesYAML != "" && !contains(pres, s.AnalysisTemplatesYAML) {
			t.Errorf("%s: AnalysisTemplates are not shown verbatim", s.Name)
		}
		if s.Error != "" && !strings.Contains(text(sec), s.Error) {
			t.Errorf("%s: the run's error is not shown", s.Name)
		}
	}
	comp := byID(doc, runID(ri)+"-components")
	if comp == nil {
		t.Fatalf("run %d has no components section", ri)
	}
	for k, v := range r.Components {
		if !strings.Contains(text(comp), k) || !strings.Contains(text(comp), v) {
			t.Errorf("component %s %s is not listed", k, v)
		}
	}
}

func runID(i int) string { return "run-" + string(rune('1'+i)) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSelfContained fails on anything that would load a resource: the
// page must open from disk with no network.
func checkSelfContained(t *testing.T, doc *html.Node) {
	t.Helper()
	for _, n := range all(doc, func(*html.Node) bool { return true }) {
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "image", "use", "foreignObject":
			t.Errorf("<%s> element: the report must not embed or load anything", n.Data)
		}
		for _, a := range n.Attr {
			switch strings.ToLower(a.Key) {
			case "src", "srcset", "data", "poster", "action", "formaction", "background", "xlink:href":
				t.Errorf("<%s %s=%q>: external resource", n.Data, a.Key, a.Val)
			case "href":
				if !strings.HasPrefix(a.Val, "#") {
					t.Errorf("<%s href=%q>: only in-page links are allowed", n.Data, a.Val)
				}
			case "style":
				if strings.Contains(a.Val, "url(") {
					t.Errorf("<%s style=%q>: url() in style", n.Data, a.Val)
				}
			}
		}
	}
	styles := all(doc, tag("style"))
	if len(styles) != 1 {
		t.Fatalf("%d <style> elements, want 1", len(styles))
	}
	css := text(styles[0])
	for _, bad := range []string{"url(", "@import", "http:", "https:"} {
		if strings.Contains(css, bad) {
			t.Errorf("inline CSS contains %q", bad)
		}
	}
	if !strings.Contains(css, "prefers-color-scheme: dark") {
		t.Error("no dark-mode styles")
	}
}

func TestReportDeterministic(t *testing.T) {
	_, a := render(t, fixture.Cases[1])
	_, b := render(t, fixture.Cases[1])
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same runs differ")
	}
}

func TestReportEscapesNames(t *testing.T) {
	runs, err := fixture.BuildAll(context.Background(), fixture.Cases[0])
	if err != nil {
		t.Fatal(err)
	}
	r := *runs[0]
	r.Strategies = append([]results.StrategyRun(nil), r.Strategies...)
	r.Strategies[0].Name = `<script>alert("x")</script>`
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, &r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Error("a strategy name reached the page unescaped")
	}
}

func TestNoRuns(t *testing.T) {
	if err := Write(context.Background(), &bytes.Buffer{}); err == nil {
		t.Error("want an error without runs")
	}
}

// TestReportSurvivesSparseResults renders a run whose strategy failed
// before producing data: no series, no timeline, a release without times.
func TestReportSurvivesSparseResults(t *testing.T) {
	r := &results.Results{
		SchemaVersion: results.SchemaVersion,
		Scenario:      results.ScenarioInfo{Name: "empty"},
		Strategies: []results.StrategyRun{
			{Name: "nothing", Error: "cluster never came up"},
			{Name: "one-release", Releases: []results.ReleaseResult{{Index: 1, Version: "v2", Bad: true,
				Scores: results.Scores{Outcome: results.OutcomeTimeout}}}},
		},
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, r); err != nil {
		t.Fatal(err)
	}
	doc := parse(t, buf.Bytes())
	if n := len(all(doc, tag("svg"))); n != 4 { // cost/risk + 2 overviews + 1 release
		t.Errorf("%d charts, want 4", n)
	}
	if buf.Len() > 200_000 {
		t.Errorf("report of an empty run is %d bytes", buf.Len())
	}
}
