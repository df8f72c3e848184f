package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coalmine/coalmine/results"
)

func TestSimCommand(t *testing.T) {
	dir := t.TempDir()
	blocked := filepath.Join(dir, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut []string
	}{
		{"monte carlo", []string{"sim", "bad-release-5xx", "--strategy", "fail-fast", "--runs", "4", "--time-scale", "144", "--out", filepath.Join(dir, "mc")},
			"", []string{"coalmine sim · bad-release-5xx", "4 runs per strategy", "| fail-fast | v2 (bad: 5 % errors (500)) | 4 | caught"}},
		{"json", []string{"sim", "good-release", "--strategy", "fail-fast", "--runs", "2", "--time-scale", "144", "-o", "json", "--out", filepath.Join(dir, "json")},
			"", []string{`"schemaVersion": "coalmine.dev/sim/v1alpha1"`, `"falseAlarm"`}},
		{"no runs", []string{"sim", "bad-release-5xx", "--runs", "0", "--out", filepath.Join(dir, "x")}, "runs must be at least 1", nil},
		{"negative seed", []string{"sim", "bad-release-5xx", "--seed", "-2", "--out", filepath.Join(dir, "y")}, "seed must not be negative", nil},
		{"unwritable out", []string{"sim", "bad-release-5xx", "--out", filepath.Join(blocked, "sub")}, "--out", nil},
		{"bad time scale", []string{"sim", "bad-release-5xx", "--time-scale", "0.5", "--out", filepath.Join(dir, "z")}, "time scale must be in [1, 144]", nil},
		{"one simulated run", []string{"run", "bad-release-5xx", "--env", "sim", "--seed", "3", "--time-scale", "144", "--strategy", "classic-steps", "--out", filepath.Join(dir, "run")},
			"", []string{"sim · ", "**classic-steps**", "caught"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCLI(t, tt.args...)
			expectOutput(t, out, err, tt.wantErr, tt.wantOut)
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "mc", results.SimFileName)); err != nil {
		t.Errorf("sim.json: %v", err)
	}
	r, err := results.Read(filepath.Join(dir, "run"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Environment.Kind != "sim" || !r.Complete {
		t.Errorf("run --env sim: environment %q, complete %v", r.Environment.Kind, r.Complete)
	}
	cal := filepath.Join(dir, "cal.json")
	_, _, err = runCLI(t, "calibrate", filepath.Join(dir, "run"), "--out", cal)
	expectOutput(t, "", err, "not a real cluster", nil)
}
