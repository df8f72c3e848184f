package junit

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/golden"

	"github.com/coalmine/coalmine/reports/internal/fixture"
	"github.com/coalmine/coalmine/results"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func render(t *testing.T, c fixture.Case) ([]*results.Results, []byte) {
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

func TestGolden(t *testing.T) {
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			_, out := render(t, c)
			golden.Check(t, filepath.Join("testdata", c.Name+".golden.xml"), out, *update)
		})
	}
}

// TestCasesMatchExpectations parses the XML back and checks one case per
// strategy and release, failing exactly where an expectation failed.
func TestCasesMatchExpectations(t *testing.T) {
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			runs, out := render(t, c)
			var doc testsuites
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatalf("junit.xml does not parse: %v", err)
			}
			wantTests, wantFail, wantErr := 0, 0, 0
			for _, r := range runs {
				for _, s := range r.Strategies {
					wantTests += len(s.Releases)
					if s.Error != "" {
						wantTests++
						wantErr++
					}
					for _, rel := range s.Releases {
						for _, e := range rel.Expectations {
							if !e.Passed {
								wantFail++
								break
							}
						}
					}
				}
			}
			if doc.Tests != wantTests || doc.Failures != wantFail || doc.Errors != wantErr {
				t.Errorf("tests/failures/errors = %d/%d/%d, want %d/%d/%d", doc.Tests, doc.Failures, doc.Errors, wantTests, wantFail, wantErr)
			}
			for _, s := range doc.Suites {
				for _, tc := range s.Cases {
					if tc.Failure != nil && !strings.Contains(tc.Failure.Message, ": ") {
						t.Errorf("%s: failure without a reason: %q", tc.Name, tc.Failure.Message)
					}
				}
			}
		})
	}
}
