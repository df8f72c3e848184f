package scenarios

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// strategyFrom builds a one-template strategy around a canary block and a
// metric, through the real parser.
func strategyFrom(t *testing.T, canary, metric string) *Strategy {
	t.Helper()
	src := "strategy:\n  canary:\n" + indent(canary, 4) + `
    analysis:
      templates: [{templateName: m}]
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: m}
spec:
  args: [{name: x, value: "1"}]
  metrics:
    - name: m
` + indent(metric, 6)
	s, err := ParseStrategy([]byte(src), "test", "test")
	if err != nil {
		t.Fatalf("ParseStrategy: %v\n%s", err, src)
	}
	return s
}

func indent(s string, n int) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pad) + "\n"
}

func TestScale(t *testing.T) {
	const prom = "provider: {prometheus: {address: 'http://p:9090', query: 'QUERY'}}"
	metric := func(fields, query string) string {
		return fields + "\n" + strings.Replace(prom, "QUERY", query, 1)
	}
	tests := []struct {
		name          string
		canary        string
		metric        string
		factor        float64
		scrape        time.Duration
		wantSteps     string // fmt of the scaled steps
		wantMetric    map[string]any
		wantQuery     string
		wantClamps    []string // "path -> used"
		wantDeadline  int32
		scaleDown     int32
		wantOtherKeys map[string]any
	}{
		{
			name:          "no clamps at factor 1",
			canary:        "steps: [{setWeight: 10}, {pause: {duration: 13m}}, {pause: {duration: 90}}]\nabortScaleDownDelaySeconds: 30",
			metric:        metric("interval: 30s\ninitialDelay: 1m", "rate(x[5m])"),
			factor:        1,
			scrape:        time.Second,
			wantSteps:     "[map[setWeight:10] map[pause:map[duration:13m]] map[pause:map[duration:90]]]",
			wantMetric:    map[string]any{"interval": "30s", "initialDelay": "1m"},
			wantQuery:     "rate(x[5m])",
			wantDeadline:  600,
			wantOtherKeys: map[string]any{"abortScaleDownDelaySeconds": int64(30)},
		},
		{
			name:         "pauses divide and keep their type",
			canary:       "steps: [{pause: {duration: 13m}}, {pause: {duration: 3600}}, {pause: {duration: \"120\"}}, {pause: {duration: 1s}}]",
			metric:       metric("interval: 10m", "up"),
			factor:       60,
			scrape:       time.Second,
			wantSteps:    "[map[pause:map[duration:13s]] map[pause:map[duration:60]] map[pause:map[duration:2s]] map[pause:map[duration:1s]]]",
			wantMetric:   map[string]any{"interval": "10s"},
			wantQuery:    "up",
			wantClamps:   []string{"strategy.canary.steps[3].pause.duration -> 1s", "rollout.spec.progressDeadlineSeconds -> 1m0s"},
			wantDeadline: 60,
		},
		{
			name:       "interval, delay and windows hit scrape floors",
			canary:     "steps: [{setWeight: 50}]",
			metric:     metric("interval: 1m\ninitialDelay: 30s", "sum(rate(x[2m])) / sum(rate(x[15m] offset 1h)) + max_over_time(y[1h:1m])"),
			factor:     144,
			scrape:     2 * time.Second,
			wantSteps:  "[map[setWeight:50]]",
			wantMetric: map[string]any{"interval": "4s", "initialDelay": "4s"},
			wantQuery:  "sum(rate(x[8s])) / sum(rate(x[8s] offset 25s)) + max_over_time(y[25s:2s])",
			wantClamps: []string{
				"AnalysisTemplate/m: spec.metrics[0].interval -> 4s",
				"AnalysisTemplate/m: spec.metrics[0].initialDelay -> 4s",
				"AnalysisTemplate/m: spec.metrics[0].provider.prometheus.query [2m] -> 8s",
				"AnalysisTemplate/m: spec.metrics[0].provider.prometheus.query [15m] -> 8s",
				"AnalysisTemplate/m: spec.metrics[0].provider.prometheus.query [:1m] -> 2s",
				"rollout.spec.progressDeadlineSeconds -> 1m0s",
			},
			wantDeadline: 60,
		},
		{
			name:       "templated values and multi-unit windows",
			canary:     "steps: [{setWeight: 50}]\nabortScaleDownDelaySeconds: 0",
			scaleDown:  600,
			metric:     metric("interval: '{{args.x}}'", "rate(x[1h30m]) and rate(x[{{args.x}}])"),
			factor:     10,
			scrape:     time.Second,
			wantSteps:  "[map[setWeight:50]]",
			wantMetric: map[string]any{"interval": "{{args.x}}"},
			wantQuery:  "rate(x[9m]) and rate(x[{{args.x}}])",
			wantClamps: nil, // 600/10 = 60 s is the floor itself
			// 600/10 = 60 stays; 0 keeps its meaning (never scale down).
			wantOtherKeys: map[string]any{"scaleDownDelaySeconds": int64(60), "abortScaleDownDelaySeconds": int64(0)},
			wantDeadline:  60,
		},
		{
			name:          "scale-down delay floor",
			canary:        "steps: [{setWeight: 50}]",
			scaleDown:     30,
			metric:        metric("", "up"),
			factor:        144,
			scrape:        time.Second,
			wantSteps:     "[map[setWeight:50]]",
			wantMetric:    map[string]any{},
			wantQuery:     "up",
			wantClamps:    []string{"strategy.canary.scaleDownDelaySeconds -> 10s", "rollout.spec.progressDeadlineSeconds -> 1m0s"},
			wantOtherKeys: map[string]any{"scaleDownDelaySeconds": int64(10)},
			wantDeadline:  60,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := strategyFrom(t, tt.canary, tt.metric)
			if tt.scaleDown != 0 {
				// Argo accepts a canary scaleDownDelaySeconds only with a
				// traffic router, which strategy files cannot use yet: set it
				// past validation to test the scaler.
				s.Spec.Canary.ScaleDownDelaySeconds = &tt.scaleDown
			}
			before := fmt.Sprint(jsonMap(t, s.Spec), jsonMap(t, s.Templates[0]))
			got, err := Scale(s, ScaleOptions{Factor: tt.factor, ScrapeInterval: tt.scrape})
			if err != nil {
				t.Fatalf("Scale: %v", err)
			}
			if after := fmt.Sprint(jsonMap(t, s.Spec), jsonMap(t, s.Templates[0])); after != before {
				t.Errorf("Scale modified its input")
			}
			c := jsonMap(t, got.Spec)["canary"].(map[string]any)
			if s := fmt.Sprint(c["steps"]); s != tt.wantSteps {
				t.Errorf("steps = %s, want %s", s, tt.wantSteps)
			}
			for k, v := range tt.wantOtherKeys {
				if fmt.Sprint(c[k]) != fmt.Sprint(v) {
					t.Errorf("%s = %#v, want %#v", k, c[k], v)
				}
			}
			m := jsonMap(t, got.Templates[0])["spec"].(map[string]any)["metrics"].([]any)[0].(map[string]any)
			for _, k := range []string{"interval", "initialDelay"} {
				if want, ok := tt.wantMetric[k]; ok != (m[k] != nil) || ok && m[k] != want {
					t.Errorf("%s = %v, want %v", k, m[k], want)
				}
			}
			q := m["provider"].(map[string]any)["prometheus"].(map[string]any)["query"]
			if q != tt.wantQuery {
				t.Errorf("query = %q, want %q", q, tt.wantQuery)
			}
			var clamps []string
			for _, c := range got.Clamps {
				clamps = append(clamps, c.Path+" -> "+c.Used.String())
			}
			if !reflect.DeepEqual(clamps, tt.wantClamps) {
				t.Errorf("clamps =\n%s\nwant\n%s", strings.Join(clamps, "\n"), strings.Join(tt.wantClamps, "\n"))
			}
			if got.ProgressDeadlineSeconds != tt.wantDeadline {
				t.Errorf("progressDeadlineSeconds = %d, want %d", got.ProgressDeadlineSeconds, tt.wantDeadline)
			}
		})
	}
}

func TestScaleOptionsErrors(t *testing.T) {
	s, err := LoadStrategy("classic-steps")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []ScaleOptions{
		{Factor: 0.5, ScrapeInterval: time.Second},
		{Factor: 10, ScrapeInterval: 500 * time.Millisecond},
	} {
		if _, err := Scale(s, o); err == nil {
			t.Errorf("Scale(%+v) succeeded, want error", o)
		}
	}
}

func TestScalePrometheusAddress(t *testing.T) {
	s, err := LoadStrategy("latency-guard")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Scale(s, ScaleOptions{Factor: 1, ScrapeInterval: time.Second, PrometheusAddress: "http://127.0.0.1:9090"})
	if err != nil {
		t.Fatal(err)
	}
	y, _ := got.YAML()
	if n := bytes.Count(y, []byte("address: http://127.0.0.1:9090")); n != 2 {
		t.Errorf("address rewritten %d times, want 2:\n%s", n, y)
	}
}

// TestScaleGolden pins the exact objects the run engine applies for the
// classic strategy at the default time scale (a 10-minute day).
func TestScaleGolden(t *testing.T) {
	s, err := LoadStrategy("classic-steps")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Scale(s, ScaleOptions{Factor: 144, ScrapeInterval: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	y, err := got.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, c := range got.Clamps {
		fmt.Fprintf(&b, "# clamped %s: %s -> %s (%s) instead of %s\n", c.Path, c.Original, c.Used, c.Reason, c.Scaled)
	}
	b.Write(y)
	golden.Check(t, "testdata/golden/classic-steps-x144.yaml", b.Bytes(), *update)
}

// jsonMap is v as the API server sees it: its JSON as generic data.
func jsonMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
