package scenarios

import (
	"errors"
	"fmt"

	"github.com/coalmine/coalmine/faultapp"
)

// This file is the one place the scenario API meets faultapp's fault
// model: faults stay YAML in scenarios and are judged by faultapp itself.

// Decode returns the fault as faultapp decodes it (defaults applied); an
// empty fault decodes to the zero Faults, a good release.
func (f Fault) Decode() (*faultapp.Faults, error) {
	if f.IsZero() {
		return &faultapp.Faults{}, nil
	}
	fs, err := faultapp.DecodeFaultsNode(f.Node)
	if err != nil {
		return nil, fmt.Errorf("fault: %w", err)
	}
	return fs, nil
}

// Bad reports whether the release carries a fault: its fault decodes to a
// non-zero faultapp.Faults. (A fault that does not decode never passes
// validation; it counts as bad.)
func (r Release) Bad() bool {
	fs, err := r.Fault.Decode()
	return err != nil || !fs.IsZero()
}

// faultProblem is one problem faultapp found in a fault model; Path is
// relative to the fault, Line is in the scenario file (0 if unknown).
type faultProblem struct {
	Path string
	Line int
	Msg  string
}

// checkFault validates f with faultapp's decoder, which reports lines of
// the scenario file because it decodes f's own node.
func checkFault(f Fault) []faultProblem {
	_, err := faultapp.DecodeFaultsNode(f.Node)
	if err == nil {
		return nil
	}
	var fe *faultapp.FaultsError
	if !errors.As(err, &fe) {
		return []faultProblem{{Msg: err.Error()}}
	}
	out := make([]faultProblem, len(fe.Problems))
	for i, p := range fe.Problems {
		out[i] = faultProblem{Path: p.Path, Line: p.Line, Msg: p.Msg}
	}
	return out
}
