package faults

import (
	"bytes"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/coalmine/coalmine/internal/strictyaml"
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
	if n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		return f, nil
	}
	d := strictyaml.New()
	d.Required = true // a fault block names what it needs: no silent defaults for typos
	d.Decode(n, f, "")
	if len(d.Problems) > 0 {
		return nil, &Error{Problems: problemsOf(d.Problems)}
	}
	f.Default()
	if probs := f.validate(); len(probs) > 0 {
		for i := range probs {
			probs[i].Line = d.Line(probs[i].Path)
		}
		return nil, &Error{Problems: probs}
	}
	return f, nil
}

func problemsOf(ps []strictyaml.Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{Path: p.Path, Line: p.Line, Msg: p.Msg}
	}
	return out
}
