package hostscan

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Use is one place that runs an executable.
type Use struct {
	// Tool is the executable's name (the base name of an absolute path).
	Tool string
	// Pos is file:line, the file relative to the scanned root.
	Pos string
}

// Unresolved is a Go call site whose executable is not a constant: Expr is
// its source text. Callers map such sites to tools explicitly.
type Unresolved struct {
	Pos  string
	File string
	Expr string
}

// Result is what a scan found.
type Result struct {
	Uses       []Use
	Unresolved []Unresolved
}

// Tools returns the distinct tools used, sorted.
func (r Result) Tools() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range r.Uses {
		if !seen[u.Tool] {
			seen[u.Tool] = true
			out = append(out, u.Tool)
		}
	}
	sort.Strings(out)
	return out
}

// add records a use of name at pos. Relative paths (bin/coalmine,
// hack/x.sh) are the project's own programs and are skipped.
func (r *Result) add(name, pos string) {
	switch {
	case name == "":
		return
	case strings.HasPrefix(name, "/"):
		name = path.Base(name)
	case strings.Contains(name, "/"):
		return
	}
	r.Uses = append(r.Uses, Use{Tool: name, Pos: pos})
}

// Tree scans root: every .go file (tests included) outside testdata,
// vendor and hidden directories, the given shell scripts and Makefiles
// (paths relative to root).
func Tree(root string, scripts, makefiles []string) (Result, error) {
	var r Result
	if err := scanGo(root, &r); err != nil {
		return r, err
	}
	for _, s := range scripts {
		if err := scanScript(root, s, &r); err != nil {
			return r, err
		}
	}
	for _, m := range makefiles {
		if err := scanMakefile(root, m, &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

func rel(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

func posOf(file string, line int) string { return fmt.Sprintf("%s:%d", file, line) }
