package strictyaml

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type quantity struct{ v string }

func (q *quantity) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	q.v = strings.Trim(string(b), `"`)
	return nil
}

type base struct {
	Name string `json:"name"`
}

type doc struct {
	base  `json:",inline"`
	Count int               `json:"count,omitempty"`
	Rate  float64           `json:"rate"`
	Q     *quantity         `json:"q,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	Any   any               `json:"any,omitempty"`
}

func decode(t *testing.T, src string, required bool) (*doc, []string) {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	d := New()
	d.Required = required
	var v doc
	d.Decode(&n, &v, "")
	var got []string
	for _, p := range d.Problems {
		got = append(got, p.Path+"@"+itoa(p.Line)+": "+p.Msg)
	}
	return &v, got
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestDecode(t *testing.T) {
	v, probs := decode(t, "name: a\ncount: 3\nrate: 1\nq: 500m\ntags: {x: y}\nany: {k: [1, 2]}\n", true)
	if len(probs) > 0 || v.Name != "a" || v.Count != 3 || v.Rate != 1 || v.Q.v != "500m" || v.Tags["x"] != "y" {
		t.Fatalf("decoded %+v, problems %v", v, probs)
	}
	if m, ok := v.Any.(map[string]any); !ok || len(m["k"].([]any)) != 2 {
		t.Errorf("any = %#v", v.Any)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name, src string
		required  bool
		want      string
	}{
		{"typo with suggestion", "name: a\nrat: 1\n", false, `rat@2: unknown field (did you mean "rate"?)`},
		{"required missing", "name: a\n", true, "rate@1: required field missing"},
		{"typo silences required", "name: a\nrat: 1\n", true, `rat@2: unknown field`},
		{"no implicit conversion", "name: a\nrate: \"5\"\n", false, `rate@2: want a number, got the string "5"`},
		{"bool is not a string", "name: true\nrate: 1\n", false, `name@1: want a string, got the boolean "true" (quote it)`},
		{"fraction is not an integer", "count: 1.5\nrate: 1\n", false, `count@1: want an integer, got the number "1.5"`},
		{"duplicate field", "rate: 1\nrate: 2\n", false, "rate@2: duplicate field"},
		{"duplicate key", "rate: 1\ntags: {a: b, a: c}\n", false, "tags.a@2: duplicate key"},
		{"merge keys", "<<: {name: a}\nrate: 1\n", false, "<<@1: merge keys are not supported"},
		{"wrong node", "rate: [1]\n", false, "rate@1: want a number, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := decode(t, tt.src, tt.required)
			got := strings.Join(probs, "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("problems:\n%s\nwant %q", got, tt.want)
			}
			if tt.name == "typo silences required" && strings.Contains(got, "required") {
				t.Errorf("a typo also reported as a missing field:\n%s", got)
			}
		})
	}
}

func TestLine(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("name: a\nrate: 1\ntags:\n  x: y\n"), &n); err != nil {
		t.Fatal(err)
	}
	d := New()
	var v doc
	d.Decode(&n, &v, "")
	if d.Line("tags.x") != 4 || d.Line("tags.x.deeper") != 4 || d.Line("rate") != 2 || d.Has("count") {
		t.Errorf("lines: tags.x %d, rate %d, count decoded %v", d.Line("tags.x"), d.Line("rate"), d.Has("count"))
	}
}
