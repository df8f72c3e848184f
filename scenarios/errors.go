package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem in a scenario or strategy file, located by
// file, line and field path.
type FieldError struct {
	// File is the file path, or "library:NAME" for embedded files.
	File string
	// Line is 1-based; 0 when the problem has no single line (e.g. a
	// missing required field of the whole document).
	Line int
	// Path is the field path, e.g. "spec.traffic.peakRPS" or
	// "spec.releases[1].when.at".
	Path string
	// Msg says what is wrong.
	Msg string
}

// Error formats the problem as "file:line: path: msg".
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a file, in file order. It is the
// error type returned by decoding and validation; errors.As finds it.
type ErrorList []*FieldError

// Error prints one problem per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each problem to errors.Is / errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errOrNil returns l sorted by line (stable, so same-line problems keep
// their order) as an error, or nil when empty.
func (l ErrorList) errOrNil() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		return l[i].Line < l[j].Line
	})
	return l
}
