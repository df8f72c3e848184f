package results

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample() *Results {
	ttd := 42.5
	return &Results{
		Scenario:   ScenarioInfo{Name: "peak-only-bug", Source: "library:peak-only-bug", TimeScale: 120},
		Components: map[string]string{"argo-rollouts": "v1.10.1"},
		StartedAt:  time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
		Complete:   true,
		Strategies: []StrategyRun{{
			Name: "fail-fast", StrategyYAML: "canary: {}\n",
			Releases: []ReleaseResult{{Index: 1, Version: "v2", Bad: true, Baseline: "v1",
				Scores: Scores{Outcome: OutcomeCaught, TimeToDetectSeconds: &ttd}}},
		}},
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	in := sample()
	if err := Write(dir, in); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("results.json mode = %v, want 0644", st.Mode().Perm())
	}
	for _, path := range []string{dir, filepath.Join(dir, FileName)} {
		out, err := Read(path)
		if err != nil {
			t.Fatalf("Read(%s): %v", path, err)
		}
		if out.SchemaVersion != SchemaVersion || out.Strategies[0].Releases[0].Baseline != "v1" ||
			*out.Strategies[0].Releases[0].Scores.TimeToDetectSeconds != 42.5 {
			t.Errorf("round trip lost data: %+v", out)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("Write left %d files, want only results.json", len(entries))
	}
}

func TestDecodeRejects(t *testing.T) {
	var good bytes.Buffer
	if err := Encode(&good, sample()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc, want string
		schema          bool
	}{
		{"unknown schemaVersion", `{"schemaVersion": "coalmine.dev/results/v9"}`, `"coalmine.dev/results/v9" (this coalmine reads "coalmine.dev/results/v1alpha1")`, true},
		{"missing schemaVersion", `{"scenario": {}}`, "schemaVersion is missing", true},
		{"unknown field", strings.Replace(good.String(), `"complete": true,`, `"complete": true,`+"\n"+`  "colour": "red",`, 1), `unknown field "colour"`, false},
		{"not JSON", `schemaVersion: v1`, "decode results", false},
		{"trailing data", good.String() + "{}", "after top-level value", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if got := errors.Is(err, ErrSchemaVersion); got != tc.schema {
				t.Errorf("errors.Is(err, ErrSchemaVersion) = %v, want %v", got, tc.schema)
			}
		})
	}
}

func TestDecodeUnknownFieldNamesLine(t *testing.T) {
	var good bytes.Buffer
	if err := Encode(&good, sample()); err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(good.String(), `"seed": 0,`, `"seed": 0, "sede": 1,`, 1)
	_, err := Decode(strings.NewReader(doc))
	if err == nil || !strings.Contains(err.Error(), "(line ") {
		t.Errorf("err = %v, want a line number", err)
	}
}

func TestReadMissing(t *testing.T) {
	if _, err := Read(t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not-exist", err)
	}
}

func TestEncodeRefusesOtherSchema(t *testing.T) {
	r := sample()
	r.SchemaVersion = "coalmine.dev/results/v0"
	if err := Encode(&bytes.Buffer{}, r); !errors.Is(err, ErrSchemaVersion) {
		t.Errorf("err = %v, want ErrSchemaVersion", err)
	}
}

func TestExpectationCountsAndLabel(t *testing.T) {
	r := sample()
	r.Strategies[0].Releases[0].Expectations = []ExpectationResult{{Passed: true}, {}, {Passed: true}}
	if p, f := r.ExpectationCounts(); p != 2 || f != 1 {
		t.Errorf("counts = %d, %d; want 2, 1", p, f)
	}
	if got, want := r.Label(), "peak-only-bug @ 2024-05-01 10:00Z"; got != want {
		t.Errorf("Label() = %q, want %q", got, want)
	}
}
