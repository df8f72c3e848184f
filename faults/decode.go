package faults

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Decode strictly decodes a fault model written in YAML or JSON
// (JSON is read as YAML), applies defaults and validates it. Empty input
// is no faults. On failure the error is a *Error naming every
// problem with its field path and line: unknown or duplicate fields,
// missing required fields, wrong types and invalid values.
func Decode(data []byte) (*Faults, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return &Faults{}, nil
	} else if err != nil {
		return nil, &Error{Problems: []Problem{{Msg: err.Error()}}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{Problems: []Problem{{Line: extra.Line, Msg: "want one YAML document, found more"}}}
	}
	return DecodeNode(&doc)
}

// DecodeNode is Decode for an already parsed YAML node (a
// document or its root mapping), so that a fault model embedded in a larger
// file reports that file's line numbers. A nil or null node is no faults.
func DecodeNode(n *yaml.Node) (*Faults, error) {
	f := &Faults{}
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return f, nil
		}
		n = n.Content[0]
	}
	if n == nil || isNull(resolve(n)) {
		return f, nil
	}
	d := decoder{lines: map[string]int{}}
	d.decode(n, reflect.ValueOf(f).Elem(), "")
	if len(d.probs) > 0 {
		return nil, &Error{Problems: d.probs}
	}
	f.Default()
	if probs := f.validate(); len(probs) > 0 {
		for i := range probs {
			probs[i].Line = d.lineOf(probs[i].Path)
		}
		return nil, &Error{Problems: probs}
	}
	return f, nil
}

// decoder walks a YAML node tree into a Go value by the values' json
// tags, recording every problem and the line of every field path.
type decoder struct {
	probs problems
	lines map[string]int
}

var durationType = reflect.TypeFor[Duration]()

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = resolve(n)
	switch {
	case v.Type() == durationType:
		d.duration(n, v, path)
	case v.Kind() == reflect.Pointer:
		if isNull(n) {
			return // an optional block written as null is absent
		}
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
	case v.Kind() == reflect.Struct:
		d.mapping(n, v, path)
	case v.Kind() == reflect.Slice:
		d.sequence(n, v, path)
	default:
		d.scalar(n, v, path)
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.probs.add(path, n.Line, "want a mapping, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	seen, unknown := map[string]bool{}, false
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := resolve(n.Content[i]), n.Content[i+1]
		p := joinPath(path, key.Value)
		switch f, ok := fields[key.Value]; {
		case key.Kind != yaml.ScalarNode:
			d.probs.add(path, key.Line, "field names must be strings")
		case seen[key.Value]:
			d.probs.add(p, key.Line, "duplicate field")
		case !ok:
			seen[key.Value], unknown = true, true
			d.probs.add(p, key.Line, "unknown field%s", suggest(key.Value, fields))
		default:
			seen[key.Value] = true
			d.lines[p] = key.Line
			d.decode(val, v.Field(f.index), p)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		// A missing required field next to an unknown one is most likely
		// the same typo: report it once.
		if fields[name].required && !seen[name] && !unknown {
			d.probs.add(joinPath(path, name), n.Line, "required field missing")
		}
	}
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.probs.add(path, n.Line, "want a list, got %s", describe(n))
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

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	want, tags := scalarWant(v.Kind())
	if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
		d.probs.add(path, n.Line, "want %s, got %s", want, describe(n))
		return
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.probs.add(path, n.Line, "want %s, got %s (out of range)", want, describe(n))
	}
}

func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.probs.add(path, n.Line, "want a duration string like \"30s\", got %s", describe(n))
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.probs.add(path, n.Line, "want a duration string like \"30s\", got %q", n.Value)
		return
	}
	v.SetInt(int64(dur))
}

// lineOf returns the line of path or of its nearest recorded parent.
func (d *decoder) lineOf(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// resolve follows alias nodes to their anchor.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }
