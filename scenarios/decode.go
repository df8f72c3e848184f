package scenarios

import (
	"fmt"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/coalmine/coalmine/internal/strictyaml"
)

// decoder is the strict YAML decoder (internal/strictyaml) with the
// problems of one file collected as FieldErrors; validation, which works
// on the decoded values, reports through it too, at the decoded lines.
type decoder struct {
	file string
	errs ErrorList
	sy   *strictyaml.Decoder
}

func newDecoder(file string) *decoder { return &decoder{file: file, sy: strictyaml.New()} }

// line returns the line of path, or of its nearest decoded parent.
func (d *decoder) line(path string) int { return d.sy.Line(path) }

// lineOf returns the line of path when it was decoded, else 0.
func (d *decoder) lineOf(path string) int {
	if !d.sy.Has(path) {
		return 0
	}
	return d.sy.Line(path)
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &FieldError{File: d.file, Line: line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// decode stores n into v (addressable), recording problems under path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	before := len(d.sy.Problems)
	d.sy.Decode(n, v.Addr().Interface(), path)
	for _, p := range d.sy.Problems[before:] {
		d.errs = append(d.errs, &FieldError{File: d.file, Line: p.Line, Path: p.Path, Msg: p.Msg})
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// reflectValue returns the addressable value p points to.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// jsonCompatible turns YAML-decoded data into data encoding/json accepts.
func jsonCompatible(v any) any { return strictyaml.JSONCompatible(v) }
