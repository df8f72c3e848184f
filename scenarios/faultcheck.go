package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"github.com/coalmine/coalmine/faults"
)

// This file is the one place the scenario API meets the fault model
// (package faults), decoded once when the scenario is read.

// Decode returns the decoded fault (defaults applied); an empty fault is
// the zero Faults, a good release. The result is shared: do not change it
// (faults.Overlay copies).
func (f Fault) Decode() (*faults.Faults, error) {
	if f.IsZero() {
		return &faults.Faults{}, nil
	}
	if f.decoded == nil && f.err == nil { // built in code, not read
		f.decoded, f.err = faults.DecodeNode(f.Node)
	}
	if f.err != nil {
		return nil, fmt.Errorf("fault: %w", f.err)
	}
	return f.decoded, nil
}

// Summary describes the fault in one line ("" for none; the YAML as
// written when it does not decode).
func (f Fault) Summary() string {
	fs, err := f.Decode()
	if err != nil {
		return strings.TrimSpace(string(f.YAML()))
	}
	return fs.Summary()
}

// Bad reports whether the release carries a fault: its fault decodes to a
// non-zero faults.Faults. (A fault that does not decode never passes
// validation; it counts as bad.)
func (r Release) Bad() bool {
	fs, err := r.Fault.Decode()
	return err != nil || !fs.IsZero()
}

// faultProblem is one problem found in a fault model; Path is
// relative to the fault, Line is in the scenario file (0 if unknown).
type faultProblem struct {
	Path string
	Line int
	Msg  string
}

// checkFault returns the problems decoding f found, with lines of the
// scenario file (f's own node was decoded).
func checkFault(f Fault) []faultProblem {
	_, err := f.Decode()
	if err == nil {
		return nil
	}
	var fe *faults.Error
	if !errors.As(err, &fe) {
		return []faultProblem{{Msg: err.Error()}}
	}
	out := make([]faultProblem, len(fe.Problems))
	for i, p := range fe.Problems {
		out[i] = faultProblem{Path: p.Path, Line: p.Line, Msg: p.Msg}
	}
	return out
}
