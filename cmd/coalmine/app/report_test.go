package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/results"
)

// fixtureResults is a hand-built run with every outcome (see
// reports/internal/fixture).
var fixtureResults = filepath.Join("..", "..", "..", "reports", "testdata", "peak-only-bug", results.FileName)

// resultsDir copies the fixture run into a fresh results directory.
func resultsDir(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(fixtureResults)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, results.FileName), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func wantReports(t *testing.T, dir, stdout string) {
	t.Helper()
	for _, name := range []string{"report.html", "report.md", "junit.xml"} {
		path := filepath.Join(dir, name)
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", path, err)
		}
		if !strings.Contains(stdout, path) {
			t.Errorf("stdout does not list %s:\n%s", path, stdout)
		}
	}
}

func TestReportNextToResults(t *testing.T) {
	dir := resultsDir(t)
	out, _, err := runCLI(t, "report", dir)
	if err != nil {
		t.Fatal(err)
	}
	wantReports(t, dir, out)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| 1 | **fail-fast** |") {
		t.Errorf("report.md lacks the ranked scoreboard:\n%s", md)
	}
}

func TestReportCombinesDirs(t *testing.T) {
	a, b := resultsDir(t), resultsDir(t)
	out := filepath.Join(t.TempDir(), "compare")
	stdout, _, err := runCLI(t, "report", a, filepath.Join(b, results.FileName), "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	wantReports(t, out, stdout)
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(md), "**fail-fast (peak-only-bug @"); got != 2*4 {
		// one scoreboard row and three release lines per run
		t.Errorf("fail-fast appears %d times with a run label, want 8:\n%s", got, md)
	}
}

func TestReportErrors(t *testing.T) {
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, results.FileName), []byte(`{"schemaVersion": "coalmine.dev/results/v99"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCLI(t, "report", bad)
	if !errors.Is(err, results.ErrSchemaVersion) || !strings.Contains(err.Error(), "v99") {
		t.Errorf("unknown schema: err = %v", err)
	}
	if _, _, err := runCLI(t, "report", t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no results.json: err = %v", err)
	}
	if _, _, err := runCLI(t, "report"); err == nil {
		t.Error("no DIR: want an error")
	}
}
