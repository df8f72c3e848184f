package reports

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/reports/internal/fixture"
	"github.com/coalmine/coalmine/results"
)

func TestWriteAll(t *testing.T) {
	runs, err := fixture.BuildAll(context.Background(), fixture.Cases[1])
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "nested", "out")
	for range 2 { // the second time replaces the files
		if err := WriteAll(context.Background(), out, runs...); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "junit.xml report.html report.md"; got != want {
		t.Errorf("files = %s, want %s", got, want)
	}
	for _, name := range names {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil || st.Size() == 0 || st.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v, size %d, mode %v", name, err, st.Size(), st.Mode().Perm())
		}
	}
}

func TestWriteAllErrors(t *testing.T) {
	if err := WriteAll(context.Background(), t.TempDir()); err == nil {
		t.Error("no runs: want an error")
	}
	runs, err := fixture.BuildAll(context.Background(), fixture.Cases[0])
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteAll(ctx, t.TempDir(), runs...); err == nil {
		t.Error("cancelled context: want an error")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(context.Background(), file, runs...); err == nil {
		t.Error("out is a file: want an error")
	}
}

// TestWriteAllRealRun renders the results of a real kind run (peak-only-bug
// with three strategies, recorded by `coalmine run`) kept under testdata.
func TestWriteAllRealRun(t *testing.T) {
	res, err := results.Read(filepath.Join("testdata", "kind-peak-only-bug"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Environment.Kind != "kind" || len(res.Strategies) != 3 {
		t.Fatalf("fixture is not a three-strategy kind run: %s, %d strategies", res.Environment.Kind, len(res.Strategies))
	}
	out := t.TempDir()
	if err := WriteAll(context.Background(), out, res); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.html", "report.md", "junit.xml"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Strategies {
			if !strings.Contains(string(data), s.Name) {
				t.Errorf("%s does not mention strategy %s", name, s.Name)
			}
		}
	}
}
