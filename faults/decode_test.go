package faults

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestDecodeFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*-*.*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Decode(data)
			if strings.HasPrefix(filepath.Base(file), "valid-") {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				assertRoundTrip(t, f)
				return
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v, want a *Error", err)
			}
			wants := wantLines(string(data))
			if len(wants) == 0 {
				t.Fatal("invalid fixture without '# want:' lines")
			}
			for _, w := range wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if len(fe.Problems) != len(wants) {
				t.Errorf("%d problems, want %d:\n%v", len(fe.Problems), len(wants), err)
			}
		})
	}
}

// wantLines returns the "# want: ..." expectations of a fixture.
func wantLines(src string) []string {
	var out []string
	for _, l := range strings.Split(src, "\n") {
		if w, ok := strings.CutPrefix(l, "# want: "); ok {
			out = append(out, w)
		}
	}
	return out
}

func TestDecodeDefaultsAndValues(t *testing.T) {
	f := mustFaults(t, `
errors: {rate: 0.25}
latency: {distribution: uniform, min: 1ms, max: 3ms}
crash: {requests: 10}
`)
	want := &Faults{
		Errors:  &ErrorFault{Rate: 0.25, Status: 500},
		Latency: &LatencyFault{Distribution: DistUniform, Min: Duration(time.Millisecond), Max: Duration(3 * time.Millisecond), Share: 1},
		Crash:   &CrashFault{Requests: 10, ExitCode: 1},
	}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("got %+v, want %+v", f, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "errors: [", "yaml:"},
		{"two documents", "errors: {rate: 1}\n---\ncpu: {perRequest: 1ms}\n", "line 2: want one YAML document"},
		{"not a mapping", "- 1\n", "want a mapping, got a list"},
		{"block not a mapping", "errors: 5", "errors: want a mapping, got the integer \"5\""},
		{"NaN rate", "errors: {rate: .nan}", "errors.rate: must be in [0, 1], got NaN"},
		{"negative after", "readiness: {after: -1s}", "readiness.after: must not be negative"},
		{"infinite minRPS", "errors: {rate: 1, minRPS: .inf}", "errors.minRPS: must be a finite number"},
		{"cohort > 1", "errors: {rate: 1, cohort: 2}", "errors.cohort: must be in [0, 1]"},
		{"share > 1", "latency: {distribution: fixed, mean: 1ms, share: 1.5}", "latency.share: must be in (0, 1]"},
		{"unknown distribution", "latency: {distribution: gamma}", `unknown distribution "gamma"`},
		{"uniform needs max", "latency: {distribution: uniform, min: 1ms}", "latency.max: required by distribution uniform"},
		{"min above max", "latency: {distribution: uniform, min: 5ms, max: 1ms}", "latency.min: must not exceed max"},
		{"pareto needs shape", "latency: {distribution: pareto, scale: 1ms}", "latency.shape: required by distribution pareto"},
		{"lognormal needs stddev", "latency: {distribution: lognormal, mean: 1ms}", "latency.stddev: required"},
		{"leak too big", "leak: {bytesPerRequest: 1000000000}", "leak.bytesPerRequest: must be in [1, 67108864]"},
		{"cpu too long", "cpu: {perRequest: 1m}", "cpu.perRequest: must be in (0, 10s]"},
		{"exit code", "crash: {after: 1s, exitCode: 300}", "crash.exitCode: must be in [1, 255]"},
		{"duplicate route", "errors: {rate: 1, paths: [/api/cart, /api/cart]}", `errors.paths[1]: duplicate route`},
		{"string as status", `errors: {rate: 1, status: "503"}`, `errors.status: want an integer, got the string "503"`},
		{"number as distribution", `latency: {distribution: 5}`, `latency.distribution: want a string, got the integer "5"`},
		{"null scalar", "errors: {rate: ~}", "errors.rate: want a number, got null"},
		{"non-string key", "{[1]: 2}", "field names must be strings"},
		{"case typo", "crash: {exit_code: 2, after: 1s}", `crash.exit_code: unknown field (did you mean "exitCode"?)`},
		{"json unknown field", `{"errors": {"rate": 0.1, "Rate": 0.2}}`, `line 1: errors.Rate: unknown field (did you mean "rate"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDecodeNullAndAliases(t *testing.T) {
	tests := []struct {
		src  string
		want *Faults
	}{
		{"", &Faults{}},
		{"null", &Faults{}},
		{"{}", &Faults{}},
		{"errors: ~\ncpu:\n", &Faults{}},
		{"x: &d 5ms\nlatency: {distribution: fixed, mean: *d}", nil}, // x is unknown
		{"latency: {distribution: fixed, mean: &d 5ms, max: *d}", &Faults{Latency: &LatencyFault{
			Distribution: DistFixed, Mean: Duration(5 * time.Millisecond), Max: Duration(5 * time.Millisecond), Share: 1}}},
	}
	for _, tt := range tests {
		f, err := Decode([]byte(tt.src))
		if tt.want == nil {
			if err == nil {
				t.Errorf("%q: no error", tt.src)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(f, tt.want) {
			t.Errorf("%q: got %+v, %v; want %+v", tt.src, f, err, tt.want)
		}
	}
}

func TestDecodeFaultsNodeKeepsOuterLines(t *testing.T) {
	var doc struct {
		Name  string    `yaml:"name"`
		Fault yaml.Node `yaml:"fault"`
	}
	src := "name: v2\nfault:\n  errors:\n    rate: 0.1\n    colour: red\n"
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := DecodeNode(&doc.Fault)
	if err == nil || !strings.Contains(err.Error(), "line 5: errors.colour: unknown field") {
		t.Fatalf("error %v, want line 5 of the outer file", err)
	}
}

func TestFaultsErrorWithFile(t *testing.T) {
	_, err := Decode([]byte("errors:\n  rate: 2\n"))
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v", err)
	}
	fe.File = "bad.yaml"
	if want := "bad.yaml:2: errors.rate: must be in [0, 1], got 2"; !strings.Contains(fe.Error(), want) {
		t.Fatalf("%q lacks %q", fe.Error(), want)
	}
}

// assertRoundTrip checks that f survives YAML and JSON encoding, and the
// encodings of other decoders (encoding/json, yaml.v3 Unmarshal).
func assertRoundTrip(t *testing.T, f *Faults) {
	t.Helper()
	y, err := yaml.Marshal(f)
	if err != nil {
		t.Fatalf("yaml.Marshal: %v", err)
	}
	j, err := Encode(f)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	for _, enc := range [][]byte{y, j} {
		g, err := Decode(enc)
		if err != nil {
			t.Fatalf("decode %s: %v", enc, err)
		}
		if !reflect.DeepEqual(g, f) {
			t.Fatalf("round trip through %s:\ngot  %s\nwant %s", enc, dump(g), dump(f))
		}
	}
	var viaJSON, viaYAML Faults
	if err := json.Unmarshal(j, &viaJSON); err != nil || !reflect.DeepEqual(&viaJSON, f) {
		t.Fatalf("encoding/json: %s, %v; want %s", dump(&viaJSON), err, dump(f))
	}
	if err := yaml.Unmarshal(y, &viaYAML); err != nil || !reflect.DeepEqual(&viaYAML, f) {
		t.Fatalf("yaml.Unmarshal: %s, %v; want %s", dump(&viaYAML), err, dump(f))
	}
}

// dump shows a Faults in full, for failure messages.
func dump(f *Faults) string {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Sprintf("%+v (%v)", f, err)
	}
	return fmt.Sprintf("%s (paths nil: errors %v, latency %v)", b,
		f.Errors != nil && f.Errors.Paths == nil, f.Latency != nil && f.Latency.Paths == nil)
}

func mustFaults(t testing.TB, src string) *Faults {
	t.Helper()
	f, err := Decode([]byte(src))
	if err != nil {
		t.Fatalf("Decode(%q): %v", src, err)
	}
	return f
}
