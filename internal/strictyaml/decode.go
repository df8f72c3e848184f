package strictyaml

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong in a decoded document.
type Problem struct {
	// Path is the field path, e.g. "spec.traffic.peakRPS" or
	// "errors.paths[1]" ("" for the document itself).
	Path string
	// Line is 1-based, 0 when unknown.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Decoder decodes strictly and collects problems. Its zero value is not
// ready: use New.
type Decoder struct {
	// Required makes every struct field whose json tag lacks omitempty
	// required (a fault model's rule; scenarios validate presence
	// themselves).
	Required bool
	// Problems are every problem found, in the order found.
	Problems []Problem
	lines    map[string]int
}

// New returns a decoder.
func New() *Decoder { return &Decoder{lines: map[string]int{}} }

// Add records a problem at path and line.
func (d *Decoder) Add(path string, line int, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Line returns the line of path or of its nearest decoded parent (0 when
// none was decoded).
func (d *Decoder) Line(path string) int {
	for {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return d.lines[""]
		}
		path = path[:i]
	}
}

// Has reports whether path was decoded (its line is known).
func (d *Decoder) Has(path string) bool {
	_, ok := d.lines[path]
	return ok
}

var (
	yamlUnmarshaler = reflect.TypeFor[yaml.Unmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// Decode stores n (a document or any node) into *v, recording problems
// under path.
func (d *Decoder) Decode(n *yaml.Node, v any, path string) {
	d.decode(n, reflect.ValueOf(v).Elem(), path)
}

func (d *Decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = resolve(n)
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = resolve(n.Content[0])
	}
	if _, ok := d.lines[path]; !ok {
		d.lines[path] = n.Line
	}
	switch {
	case v.Addr().Type().Implements(yamlUnmarshaler):
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.Add(path, n.Line, "%v", err)
		}
	case v.Addr().Type().Implements(jsonUnmarshaler) && !isNull(n):
		d.viaJSON(n, v, path)
	case v.Kind() == reflect.Interface:
		d.anyValue(n, v, path)
	case isNull(n) && v.Kind() != reflect.Pointer && !isScalarKind(v.Kind()):
		v.SetZero()
	default:
		d.decodeKind(n, v, path)
	}
}

func (d *Decoder) decodeKind(n *yaml.Node, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return // an optional block written as null is absent
		}
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.Map:
		d.mapValue(n, v, path)
	default:
		d.scalar(n, v, path)
	}
}

// viaJSON hands n to a type that decodes itself from JSON (Kubernetes'
// IntOrString, Quantity, Time), as the API server would.
func (d *Decoder) viaJSON(n *yaml.Node, v reflect.Value, path string) {
	var x any
	if err := n.Decode(&x); err != nil {
		d.Add(path, n.Line, "%v", err)
		return
	}
	b, err := json.Marshal(JSONCompatible(x))
	if err == nil {
		err = v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b)
	}
	if err != nil {
		d.Add(path, n.Line, "%v", err)
	}
}

func (d *Decoder) anyValue(n *yaml.Node, v reflect.Value, path string) {
	var x any
	if err := n.Decode(&x); err != nil {
		d.Add(path, n.Line, "%v", err)
		return
	}
	if x != nil {
		v.Set(reflect.ValueOf(JSONCompatible(x)))
	}
}

// JSONCompatible converts YAML-decoded data (map[any]any) into data
// encoding/json accepts.
func JSONCompatible(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = JSONCompatible(e)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[fmt.Sprint(k)] = JSONCompatible(e)
		}
		return m
	case []any:
		for i, e := range t {
			t[i] = JSONCompatible(e)
		}
		return t
	default:
		return v
	}
}
