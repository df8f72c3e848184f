package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScenariosCLI(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	badStrategy := filepath.Join(dir, "bad-strategy.yaml")
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good, "apiVersion: coalmine.dev/v1alpha1\nkind: Scenario\nmetadata: {name: good}\nspec:\n  traffic: {peakRPS: 10}\n  releases: [{version: v2}]\n  strategies: [rolling]\n")
	write(bad, "apiVersion: coalmine.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bad}\nspec:\n  traffic:\n    peakRPS: 10\n    peakRSP: 10\n  releases: [{version: v2}]\n  strategies: [rolling]\n")
	write(badStrategy, "strategy:\n  canary:\n    steps:\n      - setWeight: 10\n      - pause: {durration: 1m}\n")

	tests := []struct {
		name     string
		args     []string
		wantCode int // 0: success
		want     []string
	}{
		{"list", []string{"scenarios", "list"}, 0, []string{"bad-release-5xx", "peak-only-bug", "rolling,classic-steps,fail-fast", "classic-steps", "blueGreen"}},
		{"show scenario", []string{"scenarios", "show", "cohort-bug"}, 0, []string{"kind: Scenario", "cohort: 0.05", "timeScale: 144", "longest run"}},
		{"show raw", []string{"scenarios", "show", "--raw", "cohort-bug"}, 0, []string{"errors: {rate: 1.0, cohort: 0.05}"}},
		{"show file", []string{"scenarios", "show", good}, 0, []string{"name: good", "replicas: 5"}},
		{"show strategy", []string{"scenarios", "show", "fail-fast"}, 0, []string{"# Fail fast", "podTemplateHashValue: Stable"}},
		{"show scaled", []string{"scenarios", "show", "classic-steps", "--time-scale", "144"}, 0, []string{"# clamped AnalysisTemplate/success-rate: spec.metrics[0].interval", "[8s]", "progressDeadlineSeconds: 60"}},
		{"show unknown", []string{"scenarios", "show", "nope"}, 1, nil},
		{"lint ok", []string{"scenarios", "lint", good, "../../../scenarios/library/strategies/classic-steps.yaml"}, 0, []string{"2 files ok"}},
		{"lint bad", []string{"scenarios", "lint", good, bad, badStrategy}, 1, []string{
			bad + ":7: spec.traffic.peakRSP: unknown field",
			badStrategy + ":5: strategy.canary.steps[1].pause.durration: unknown field",
			badStrategy + ":5: strategy.canary.steps[1].pause: a pause without duration",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCLI(t, tt.args...)
			if tt.wantCode == 0 && err != nil {
				t.Fatalf("Run: %v\n%s", err, out)
			}
			if tt.wantCode != 0 {
				if err == nil {
					t.Fatalf("Run succeeded, want exit %d\n%s", tt.wantCode, out)
				}
				if c := ExitCode(err); c != tt.wantCode {
					t.Errorf("exit %d, want %d", c, tt.wantCode)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestScenariosLintExitError(t *testing.T) {
	_, _, err := runCLI(t, "scenarios", "lint", "../../../scenarios/testdata/invalid-typo.yaml")
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 1 {
		t.Fatalf("err = %v, want *ExitError code 1", err)
	}
}
