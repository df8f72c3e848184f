package scenarios

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// wantErr is one expected problem: the exact "file:line: path" location
// and a substring of the message.
type wantErr struct {
	loc, msg string
}

func checkErrors(t *testing.T, err error, want []wantErr) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v is not an ErrorList", err)
	}
	if len(list) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(list), len(want), err)
	}
	for _, w := range want {
		found := false
		for _, e := range list {
			line := e.Error()
			if strings.HasPrefix(line, w.loc+": ") && strings.Contains(line[len(w.loc):], w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %s: ...%s...\ngot:\n%v", w.loc, w.msg, err)
		}
	}
}

func TestValidScenarioFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/valid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(s.Strategies) != len(s.Spec.Strategies) {
				t.Errorf("resolved %d strategies, want %d", len(s.Strategies), len(s.Spec.Strategies))
			}
			if err := Lint(f); err != nil {
				t.Errorf("Lint: %v", err)
			}
		})
	}
}

func TestInvalidScenarioFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []wantErr
	}{
		{"invalid-typo.yaml", []wantErr{
			{"testdata/invalid-typo.yaml:12: spec.traffic.peakRSP", `unknown field (did you mean "peakRPS"?)`},
			{"testdata/invalid-typo.yaml:7: spec.traffic.peakRPS", "required for profile diurnal"},
		}},
		{"invalid-header.yaml", []wantErr{
			{"testdata/invalid-header.yaml:1: apiVersion", `must be "coalmine.dev/v1alpha1"`},
			{"testdata/invalid-header.yaml:2: kind", `must be "Scenario"`},
			{"testdata/invalid-header.yaml:4: metadata.name", `got "Bad_Name"`},
		}},
		{"invalid-many.yaml", []wantErr{
			{"testdata/invalid-many.yaml:8: spec.traffic.dayLength", `invalid duration "ten minutes"`},
			{"testdata/invalid-many.yaml:9: spec.traffic.users.skew", "must be 0 (uniform) or in (1, 10]"},
			{"testdata/invalid-many.yaml:10: spec.traffic.workers", "want an integer, got a list"},
			{"testdata/invalid-many.yaml:12: spec.app.replicas", "got -1"},
			{"testdata/invalid-many.yaml:14: spec.app.resources.requests.memory", `invalid quantity "lots"`},
			{"testdata/invalid-many.yaml:14: spec.app.resources.requests.cpu", "exceeds limits.cpu"},
			{"testdata/invalid-many.yaml:18: spec.releases[0].when.at", `invalid time of day "25:00"`},
			{"testdata/invalid-many.yaml:19: spec.releases[1].version", `duplicate version "v2"`},
			{"testdata/invalid-many.yaml:20: spec.releases[1].when", "set at most one of at and afterPrevious"},
			{"testdata/invalid-many.yaml:21: spec.releases[1].colour", "unknown field"},
			{"testdata/invalid-many.yaml:22: spec.strategies", "at least one strategy is required"},
			{"testdata/invalid-many.yaml:23: spec.scrapeInterval", "got 500ms"},
		}},
		{"invalid-fault.yaml", []wantErr{
			{"testdata/invalid-fault.yaml:10: spec.app.baseline.errors.rate", "got 2"},
			{"testdata/invalid-fault.yaml:16: spec.releases[0].fault.errors.cohrt", "unknown field"},
			{"testdata/invalid-fault.yaml:18: spec.releases[1].fault", "want a mapping"},
		}},
		{"invalid-traffic.yaml", []wantErr{
			{"testdata/invalid-traffic.yaml:9: spec.traffic.peakRPS", "not used by profile constant"},
			{"testdata/invalid-traffic.yaml:10: spec.traffic.hourly", "not used by profile constant"},
			{"testdata/invalid-traffic.yaml:12: spec.traffic.endpoints[0].method", `got "FETCH"`},
			{"testdata/invalid-traffic.yaml:12: spec.traffic.endpoints[0].path", "must start with '/'"},
			{"testdata/invalid-traffic.yaml:12: spec.traffic.endpoints[0].weight", "must be positive"},
			{"testdata/invalid-traffic.yaml:13: spec.traffic.endpoints[1].name", `duplicate endpoint "a"`},
		}},
		{"invalid-expectations.yaml", []wantErr{
			{"testdata/invalid-expectations.yaml:12: spec.expectations[0].strategy", `no strategy "fail-fast"`},
			{"testdata/invalid-expectations.yaml:13: spec.expectations[1].release", `no release "v9"`},
			{"testdata/invalid-expectations.yaml:14: spec.expectations[2]", "checks nothing"},
			{"testdata/invalid-expectations.yaml:15: spec.expectations[3].promoted", "both caught and promoted"},
			{"testdata/invalid-expectations.yaml:16: spec.expectations[4].maxTimeToDetect", "contradicts caught: false"},
		}},
		{"invalid-strategy-refs.yaml", []wantErr{
			{"testdata/invalid-strategy-refs.yaml:11: spec.strategies[0]", `"no-such-strategy" is neither a library name`},
			{"testdata/invalid-strategy-refs.yaml:12: spec.strategies[1]", "testdata/strategies/missing.yaml: no such file"},
			{"testdata/invalid-strategy-refs.yaml:13: spec.strategies[2]", "is invalid (problems follow)"},
			{"testdata/invalid-strategy-refs.yaml:15: spec.strategies[4]", `strategy name "rolling" is already used by spec.strategies[3]`},
			{"testdata/strategies/invalid-typo.yaml:4: strategy.canary.steps[0].setWieght", `unknown field (did you mean "setWeight"?)`},
			{"testdata/strategies/invalid-typo.yaml:4: strategy.canary.steps[0]", "a step sets exactly one of setWeight, pause"},
			{"testdata/strategies/invalid-typo.yaml:16: AnalysisTemplate[0].spec.metrics[0].intreval", "unknown field"},
		}},
		{"invalid-syntax.yaml", []wantErr{
			{"testdata/invalid-syntax.yaml:7", "YAML syntax: did not find expected ',' or ']'"},
		}},
	}
	files, _ := filepath.Glob("testdata/invalid-*.yaml")
	if len(files) != len(tests) {
		t.Errorf("%d invalid fixtures on disk, %d in the table", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load succeeded, want errors")
			}
			checkErrors(t, err, tt.want)
			checkErrors(t, Lint(path), tt.want)
		})
	}
}

func TestStrategyFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []wantErr // nil: valid
	}{
		{"valid-my-canary.yaml", nil},
		{"invalid-typo.yaml", []wantErr{
			{"testdata/strategies/invalid-typo.yaml:4: strategy.canary.steps[0].setWieght", `unknown field (did you mean "setWeight"?)`},
			{"testdata/strategies/invalid-typo.yaml:4: strategy.canary.steps[0]", "(got 0)"},
			{"testdata/strategies/invalid-typo.yaml:16: AnalysisTemplate[0].spec.metrics[0].intreval", `(did you mean "interval"?)`},
		}},
		{"invalid-refs.yaml", []wantErr{
			{"testdata/strategies/invalid-refs.yaml:7: strategy.canary.steps[1].analysis.templates[0].templateName", `no AnalysisTemplate "missing"`},
			{"testdata/strategies/invalid-refs.yaml:11: strategy.canary.steps[2].analysis.args", `template arg "namespace" has no value`},
			{"testdata/strategies/invalid-refs.yaml:12: strategy.canary.steps[2].analysis.args[0].name", `arg "nmespace" is not declared by rate`},
			{"testdata/strategies/invalid-refs.yaml:16: strategy.canary.steps[2].analysis.args[1].valueFrom.podTemplateHashValue", `got "Newest"`},
			{"testdata/strategies/invalid-refs.yaml:27: AnalysisTemplate[0].spec.metrics[0]", "uses {{args.prometheus-address}} but spec.args does not declare it"},
			{"testdata/strategies/invalid-refs.yaml:28: AnalysisTemplate[0].spec.metrics[0].interval", `invalid duration "soon"`},
			{"testdata/strategies/invalid-refs.yaml:37: AnalysisTemplate[1].metadata.name", `"unused" is not referenced`},
			{"testdata/strategies/invalid-refs.yaml:38: AnalysisTemplate[1].metadata.namespace", "must not be set"},
			{"testdata/strategies/invalid-refs.yaml:42: AnalysisTemplate[1].spec.metrics[0].provider", "only the prometheus provider"},
		}},
		{"invalid-router.yaml", []wantErr{
			{"testdata/strategies/invalid-router.yaml:3: strategy.canary.trafficRouting", "no traffic router"},
			{"testdata/strategies/invalid-router.yaml:6: strategy.canary.steps[0].setCanaryScale", "requires trafficRouting"},
			{"testdata/strategies/invalid-router.yaml:7: strategy.canary.steps[1].pause", "manual promote"},
			{"testdata/strategies/invalid-router.yaml:8: strategy.canary.steps[2].setWeight", "got 120"},
			{"testdata/strategies/invalid-router.yaml:9: strategy.canary.steps[3]", "exactly one of setWeight, pause"},
		}},
		{"invalid-argo.yaml", []wantErr{
			{"testdata/strategies/invalid-argo.yaml:5: strategy.canary.dynamicStableScale", "InvalidSpec): Invalid value: true: Canary dynamicStableScale can only be used with traffic routing"},
			{"testdata/strategies/invalid-argo.yaml:6: strategy.canary.maxSurge", "MaxSurge and MaxUnavailable both can not be zero"},
			{"testdata/strategies/invalid-argo.yaml:11: strategy.canary.steps[1].analysis.templates", "metric up which runs indefinitely"},
		}},
		{"invalid-bluegreen.yaml", []wantErr{
			{"testdata/strategies/invalid-bluegreen.yaml:3: strategy.blueGreen.activeService", `must be "faultapp"`},
			{"testdata/strategies/invalid-bluegreen.yaml:4: strategy.blueGreen.previewService", `must be "faultapp-preview" or empty`},
		}},
	}
	files, _ := filepath.Glob("testdata/strategies/*.yaml")
	if len(files) != len(tests) {
		t.Errorf("%d strategy fixtures on disk, %d in the table", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "strategies", tt.file)
			s, err := LoadStrategy(path)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("LoadStrategy: %v", err)
				}
				if s.Name != strings.TrimSuffix(tt.file, ".yaml") {
					t.Errorf("Name = %q", s.Name)
				}
				return
			}
			if err == nil {
				t.Fatal("LoadStrategy succeeded, want errors")
			}
			checkErrors(t, err, tt.want)
			checkErrors(t, Lint(path), tt.want)
		})
	}
}

func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"a: 1\nb: [1\nc: 2\n", "f:2: YAML syntax: did not find expected ',' or ']'"},
		{"a: 1\nb: {x: 1\n", "f:2: YAML syntax: did not find expected ',' or '}'"},
		{"a: 1\n  b: 2\n", "f:2: YAML syntax: mapping values are not allowed in this context"},
		{"a: 1\nb: @x\n", "f:2: YAML syntax: found character that cannot start any token"},
		{"a:\n  - 1\n  x: 2\n", "f:2: YAML syntax: did not find expected '-' indicator"},
		{"a: 1\n- b\n", "f:2: YAML syntax: did not find expected key"},
		{"a: !foo!bar x\n", "f:1: YAML syntax: found undefined tag handle"},
	}
	for _, tt := range tests {
		_, err := parseDocuments([]byte(tt.in), "f")
		if err == nil || err.Error() != tt.want {
			t.Errorf("parse %q: got %v, want %s", tt.in, err, tt.want)
		}
	}
}
