package strictyaml

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/coalmine/coalmine/internal/suggest"
)

func (d *Decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.Add(path, n.Line, "want a mapping, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen, unknown := map[string]bool{}, false
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := resolve(n.Content[i]), n.Content[i+1]
		p := join(path, key.Value)
		switch f, ok := fields[key.Value]; {
		case key.Kind != yaml.ScalarNode:
			d.Add(path, key.Line, "field names must be strings")
		case key.Value == "<<":
			d.Add(p, key.Line, "merge keys are not supported")
		case seen[key.Value]:
			d.Add(p, key.Line, "duplicate field")
		case !ok:
			seen[key.Value], unknown = true, true
			d.Add(p, key.Line, "unknown field%s", suggest.Hint(key.Value, slices.Collect(maps.Keys(fields))))
		default:
			seen[key.Value] = true
			d.lines[p] = key.Line
			d.decode(val, v.FieldByIndex(f.index), p)
		}
	}
	if !d.Required || unknown {
		// A missing required field next to an unknown one is most likely
		// the same typo: report it once.
		return
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if fields[name].required && !seen[name] {
			d.Add(join(path, name), n.Line, "required field missing")
		}
	}
}

func (d *Decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.Add(path, n.Line, "want a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		d.decode(item, s.Index(i), p)
	}
	v.Set(s)
}

func (d *Decoder) mapValue(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.Add(path, n.Line, "want a mapping, got %s", describe(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		panic("strictyaml: only string-keyed maps are supported")
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		key := reflect.ValueOf(k.Value).Convert(v.Type().Key())
		p := join(path, k.Value)
		if m.MapIndex(key).IsValid() {
			d.Add(p, k.Line, "duplicate key")
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.lines[p] = k.Line
		d.decode(val, e, p)
		m.SetMapIndex(key, e)
	}
	v.Set(m)
}

// scalar decodes a scalar with no implicit conversions: 1.5 is not an
// integer, "5" is not a number, yes is not a string.
func (d *Decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	want, tags := scalarWant(v.Kind())
	if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
		hint := ""
		if v.Kind() == reflect.String && n.Kind == yaml.ScalarNode && !isNull(n) {
			hint = " (quote it)"
		}
		d.Add(path, n.Line, "want %s, got %s%s", want, describe(n), hint)
		return
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.Add(path, n.Line, "want %s, got %s (out of range)", want, describe(n))
	}
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Struct, reflect.Slice, reflect.Map, reflect.Interface:
		return false
	}
	return true
}

// scalarWant describes the YAML scalar a Go kind takes and the tags
// accepted for it.
func scalarWant(k reflect.Kind) (string, []string) {
	switch k {
	case reflect.String:
		return "a string", []string{"!!str"}
	case reflect.Bool:
		return "true or false", []string{"!!bool"}
	case reflect.Float32, reflect.Float64:
		return "a number", []string{"!!float", "!!int"}
	default:
		return "an integer", []string{"!!int"}
	}
}

// field is a struct field as the decoder sees it: its index path (through
// embedded structs), and whether it is required (no omitempty).
type field struct {
	index    []int
	required bool
}

// fieldsOf maps json names to fields, flattening embedded structs without
// a json name and `json:",inline"` ones.
func fieldsOf(t reflect.Type) map[string]field {
	out := map[string]field{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if (f.Anonymous && name == "") || strings.Contains(opts, "inline") {
			if ft := derefType(f.Type); ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(yamlUnmarshaler) {
				for n, sub := range fieldsOf(ft) {
					out[n] = field{index: append([]int{i}, sub.index...), required: sub.required}
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = field{index: []int{i}, required: !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero")}
	}
	return out
}

func derefType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "null"
	case n.Kind == yaml.ScalarNode:
		name, ok := tagNames[n.ShortTag()]
		if !ok {
			name = "the value tagged " + n.ShortTag()
		}
		return fmt.Sprintf("%s %q", name, n.Value)
	default:
		return "an unsupported node"
	}
}

var tagNames = map[string]string{
	"!!str": "the string", "!!int": "the integer", "!!float": "the number",
	"!!bool": "the boolean", "!!timestamp": "the timestamp", "!!binary": "binary data",
}

// resolve follows alias nodes to their anchor.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
