package hostdeps

import (
	_ "embed"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
)

//go:embed tools.txt
var toolsTxt string

// Need says when a tool is needed.
type Need string

// Needs, as tools.txt spells them.
const (
	// Run: `make run` needs it (images, cluster, doctor --fix).
	Run Need = "run"
	// Test: only `make test` needs it.
	Test Need = "test"
	// Optional: used when present, never installed.
	Optional Need = "optional"
	// Base: part of every Debian system or of the Go install.
	Base Need = "base"
)

// Setup is the script that installs the missing tools.
const Setup = "hack/host-setup.sh"

// Tool is one executable run on the host.
type Tool struct {
	Name string
	// Package is the Debian package providing it, or several separated
	// by commas ("-": not from Debian).
	Package string
	Need    Need
	Purpose string
}

// All returns every tool of tools.txt in file order.
func All() ([]Tool, error) {
	all, err := parsed()
	return slices.Clone(all), err
}

// parsed is tools.txt, parsed once.
var parsed = sync.OnceValues(func() ([]Tool, error) { return parse(toolsTxt) })

func parse(text string) ([]Tool, error) {
	var out []Tool
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) < 3 {
			return nil, fmt.Errorf("tools.txt:%d: want: tool package need [purpose]", i+1)
		}
		t := Tool{Name: f[0], Package: f[1], Need: Need(f[2]), Purpose: strings.Join(f[3:], " ")}
		switch t.Need {
		case Run, Test, Optional, Base:
		default:
			return nil, fmt.Errorf("tools.txt:%d: need: unknown %q (want run, test, optional or base)", i+1, t.Need)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("tools.txt:%d: tool %s listed twice", i+1, t.Name)
		}
		seen[t.Name] = true
		out = append(out, t)
	}
	return out, nil
}

// Lookup returns the listed tool of that name.
func Lookup(name string) (Tool, bool) {
	all, err := parsed()
	if err != nil {
		return Tool{}, false
	}
	for _, t := range all {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// Missing returns the tools among names that are not on PATH; a name not
// in tools.txt is reported with an unknown package.
func Missing(names ...string) []Tool {
	var out []Tool
	for _, n := range names {
		if _, err := exec.LookPath(n); err == nil {
			continue
		}
		t, ok := Lookup(n)
		if !ok {
			t = Tool{Name: n, Package: "?"}
		}
		out = append(out, t)
	}
	return out
}

// Check returns an error naming every tool among names that is missing,
// its Debian package, and the script that installs them.
func Check(names ...string) error {
	miss := Missing(names...)
	if len(miss) == 0 {
		return nil
	}
	return &MissingError{Tools: miss}
}

// MissingError names missing tools.
type MissingError struct{ Tools []Tool }

func (e *MissingError) Error() string {
	var tools, pkgs []string
	for _, t := range e.Tools {
		tools = append(tools, t.Name)
		if t.Package != "-" && t.Package != "?" {
			pkgs = append(pkgs, strings.ReplaceAll(t.Package, ",", " "))
		}
	}
	msg := "missing on this host: " + strings.Join(tools, ", ")
	if len(pkgs) > 0 {
		msg += " (Debian packages: " + strings.Join(pkgs, " ") + "; " + Setup + " installs them)"
	}
	return msg
}
