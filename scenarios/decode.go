package scenarios

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	suggestname "github.com/coalmine/coalmine/internal/suggest"
)

// decoder is a strict YAML decoder over yaml.Node trees. It maps mapping
// keys to struct fields by their json tag (the same names the types
// marshal to), and records every unknown or duplicate field and every type
// error with its line and field path instead of stopping at the first.
type decoder struct {
	file string
	errs ErrorList
	// lines maps every decoded field path to its line, so that validation
	// (which works on the decoded values) can report lines too.
	lines map[string]int
}

func newDecoder(file string) *decoder { return &decoder{file: file, lines: map[string]int{}} }

// line returns the line of path, or of its nearest decoded parent.
func (d *decoder) line(path string) int {
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

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &FieldError{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// decode stores n into v (addressable), recording problems under path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	if _, ok := d.lines[path]; !ok {
		d.lines[path] = n.Line
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) {
		if err := v.Addr().Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			d.errorf(n, path, "%v", err)
		}
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(jsonUnmarshalerType) && !isNull(n) {
		d.decodeJSON(n, v, path)
		return
	}
	if isNull(n) && v.Kind() != reflect.Interface {
		v.SetZero()
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path)
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Interface:
		var x any
		if err := n.Decode(&x); err != nil {
			d.errorf(n, path, "%v", err)
			return
		}
		if x != nil {
			v.Set(reflect.ValueOf(jsonCompatible(x)))
		}
	default:
		d.decodeScalar(n, v, path)
	}
}

// decodeJSON hands n to a type that decodes itself from JSON (Kubernetes'
// IntOrString, Quantity, Time), as the API server would.
func (d *decoder) decodeJSON(n *yaml.Node, v reflect.Value, path string) {
	var x any
	if err := n.Decode(&x); err != nil {
		d.errorf(n, path, "%v", err)
		return
	}
	b, err := json.Marshal(jsonCompatible(x))
	if err == nil {
		err = v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b)
	}
	if err != nil {
		d.errorf(n, path, "%v", err)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names a node's kind for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return strconv.Quote(n.Value)
	}
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, path string) {
	want := map[reflect.Kind]string{reflect.String: "a string", reflect.Bool: "true or false",
		reflect.Float32: "a number", reflect.Float64: "a number"}[v.Kind()]
	if want == "" {
		want = "an integer"
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "want %s, got %s", want, describe(n))
		return
	}
	if v.Kind() == reflect.String && n.Tag == "!!bool" {
		// Booleans (yes/no/true) silently becoming strings hide typos.
		d.errorf(n, path, "want a string, got %s (quote it)", describe(n))
		return
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.errorf(n, path, "want %s, got %s", want, describe(n))
	}
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping, got %s", describe(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		panic("scenarios: decoder supports string-keyed maps only")
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if m.MapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key())).IsValid() {
			d.errorf(k, joinPath(path, k.Value), "duplicate key")
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.lines[joinPath(path, k.Value)] = k.Line
		d.decode(val, e, joinPath(path, k.Value))
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
	}
	v.Set(m)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping, got %s", describe(n))
		return
	}
	fields := jsonFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := joinPath(path, k.Value)
		idx, ok := fields[k.Value]
		switch {
		case k.Value == "<<":
			d.errorf(k, p, "merge keys are not supported")
		case !ok:
			d.errorf(k, p, "unknown field%s", suggest(k.Value, fields))
		case seen[k.Value]:
			d.errorf(k, p, "duplicate field")
		default:
			seen[k.Value] = true
			d.lines[p] = k.Line
			d.decode(val, v.FieldByIndex(idx), p)
		}
	}
}

// jsonFields maps json names to field indexes, flattening embedded
// structs without a json name (and `json:",inline"`).
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" || strings.Contains(opts, "inline") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(unmarshalerType) {
				for n, idx := range jsonFields(ft) {
					out[n] = append([]int{i}, idx...)
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = []int{i}
	}
	return out
}

// suggest returns ` (did you mean "x"?)` for a near miss among fields.
func suggest(key string, fields map[string][]int) string {
	return suggestname.Hint(key, slices.Collect(maps.Keys(fields)))
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// reflectValue returns the addressable value p points to.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }
