package faults

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a fault model.
type Problem struct {
	// Path is the field path, e.g. "errors.rate" or "latency.paths[1]"
	// ("" for the document itself).
	Path string
	// Line is the 1-based line in the input, 0 when unknown.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error lists every problem found in a fault model. Decode
// returns it; callers that read a file set File so messages read
// "file:line: path: msg".
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = e.format(p)
	}
	return "invalid faults: " + strings.Join(msgs, "; ")
}

func (e *Error) format(p Problem) string {
	var b strings.Builder
	switch {
	case e.File != "" && p.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, p.Line)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// problems collects Problems.
type problems []Problem

func (ps *problems) add(path string, line int, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}
