package faults

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	suggestname "github.com/coalmine/coalmine/internal/suggest"
)

// field is a struct field as the decoder sees it: its index, and whether
// it must be present (its json tag lacks omitempty).
type field struct {
	index    int
	required bool
}

// fieldsOf maps the json names of t's fields to their fields.
func fieldsOf(t reflect.Type) map[string]field {
	fields := make(map[string]field, t.NumField())
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = field{index: i, required: !strings.Contains(opts, "omitempty")}
	}
	return fields
}

// suggest returns ` (did you mean "x"?)` for a near miss among fields.
func suggest(name string, fields map[string]field) string {
	return suggestname.Hint(name, slices.Collect(maps.Keys(fields)))
}

// scalarWant describes the YAML scalar a Go kind takes and the tags
// accepted for it (no implicit conversions: 1.5 is not an integer, "5" is
// not a number).
func scalarWant(k reflect.Kind) (string, []string) {
	switch k {
	case reflect.String:
		return "a string", []string{"!!str"}
	case reflect.Float32, reflect.Float64:
		return "a number", []string{"!!float", "!!int"}
	default:
		return "an integer", []string{"!!int"}
	}
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
