package junit

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/coalmine/coalmine/results"
)

type testsuites struct {
	XMLName  xml.Name    `xml:"testsuites"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Suites   []testsuite `xml:"testsuite"`
}

type testsuite struct {
	Name       string     `xml:"name,attr"`
	Tests      int        `xml:"tests,attr"`
	Failures   int        `xml:"failures,attr"`
	Errors     int        `xml:"errors,attr"`
	Skipped    int        `xml:"skipped,attr"`
	Timestamp  string     `xml:"timestamp,attr,omitempty"`
	Time       string     `xml:"time,attr"`
	Properties []property `xml:"properties>property,omitempty"`
	Cases      []testcase `xml:"testcase"`
}

type property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type testcase struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      string   `xml:"time,attr"`
	Failure   *problem `xml:"failure,omitempty"`
	Error     *problem `xml:"error,omitempty"`
	SystemOut *text    `xml:"system-out,omitempty"`
}

// text is element content kept readable (CDATA keeps newlines as is).
type text struct {
	Text string `xml:",cdata"`
}

type problem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// Write renders runs as one JUnit XML document to w.
func Write(ctx context.Context, w io.Writer, runs ...*results.Results) error {
	if len(runs) == 0 {
		return fmt.Errorf("junit report: no runs")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	doc := testsuites{Name: "coalmine"}
	for _, r := range runs {
		for i := range r.Strategies {
			s := suite(r, &r.Strategies[i], len(runs) > 1)
			doc.Tests += s.Tests
			doc.Failures += s.Failures
			doc.Errors += s.Errors
			doc.Suites = append(doc.Suites, s)
		}
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header+string(out)+"\n"); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	return nil
}

// suite is one strategy of one run.
func suite(r *results.Results, s *results.StrategyRun, labelled bool) testsuite {
	name := r.Scenario.Name + "/" + s.Name
	if labelled {
		name = r.Label() + "/" + s.Name
	}
	ts := testsuite{
		Name: name, Time: secs(r.FinishedAt.Sub(r.StartedAt).Seconds()),
		Properties: []property{
			{Name: "environment", Value: r.Environment.Kind},
			{Name: "seed", Value: fmt.Sprint(s.Seed)},
			{Name: "schemaVersion", Value: r.SchemaVersion},
		},
	}
	if !r.StartedAt.IsZero() {
		ts.Timestamp = r.StartedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	class := "coalmine." + dotted(r.Scenario.Name) + "." + dotted(s.Name)
	for i := range s.Releases {
		tc := releaseCase(class, s, &s.Releases[i])
		if tc.Failure != nil {
			ts.Failures++
		}
		ts.Cases = append(ts.Cases, tc)
	}
	if s.Error != "" {
		ts.Errors++
		ts.Cases = append(ts.Cases, testcase{
			Name: "strategy run", Classname: class, Time: "0",
			Error: &problem{Message: s.Error, Type: "run", Text: s.Error},
		})
	}
	ts.Tests = len(ts.Cases)
	return ts
}

// dotted makes a name safe as a classname segment.
func dotted(s string) string { return strings.ReplaceAll(s, ".", "_") }

func secs(s float64) string { return fmt.Sprintf("%.3f", max(0, s)) }
