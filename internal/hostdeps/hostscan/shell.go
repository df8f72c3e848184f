package hostscan

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// builtins are shell builtins and keywords: not executables.
var builtins = map[string]bool{
	"cd": true, "echo": true, "exit": true, "set": true, "export": true, "read": true,
	"command": true, "printf": true, "local": true, "return": true, "shift": true,
	"true": true, "false": true, "test": true, "[": true, ":": true, "source": true,
	".": true, "trap": true, "wait": true, "eval": true, "kill": true, "type": true,
	"unset": true, "declare": true, "readonly": true, "break": true, "continue": true,
	"pwd": true, "umask": true, "hash": true, "let": true, "mapfile": true,
}

// wrappers run their first non-option argument as a command.
var wrappers = map[string]bool{"exec": true, "nohup": true, "time": true, "env": true, "sudo": true}

// scanScript records the commands of a shell script.
func scanScript(root, name string, r *Result) error {
	src, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		return err
	}
	return scanShell(name, 0, string(src), r)
}

// scanShell parses src (lines offset by lineOffset in the named file).
func scanShell(name string, lineOffset int, src string, r *Result) error {
	f, err := syntax.NewParser().Parse(strings.NewReader(src), name)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	funcs := map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if fd, ok := n.(*syntax.FuncDecl); ok {
			funcs[fd.Name.Value] = true
		}
		return true
	})
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		words := ce.Args
		for len(words) > 0 {
			w := words[0].Lit()
			line := posOf(name, int(words[0].Pos().Line())+lineOffset)
			if w == "" || builtins[w] || funcs[w] {
				break
			}
			if w != "exec" && w != "time" { // builtin and keyword
				r.add(w, line)
			}
			if !wrappers[w] {
				break
			}
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0].Lit(), "-") {
				words = words[1:]
			}
		}
		return true
	})
	return nil
}

var (
	makeAssign = regexp.MustCompile(`^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|=)\s*(.*)$`)
	makeRef    = regexp.MustCompile(`\$\(([^()]*)\)`)
)

// scanMakefile records the commands of every recipe line, with the
// Makefile's simple variables expanded and other references made inert.
func scanMakefile(root, name string, r *Result) error {
	src, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		return err
	}
	lines := strings.Split(string(src), "\n")
	vars := map[string]string{}
	for _, l := range lines {
		if m := makeAssign.FindStringSubmatch(l); m != nil && !strings.HasPrefix(l, "\t") {
			vars[m[1]] = strings.TrimSpace(m[2])
		}
	}
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "\t") {
			continue
		}
		start, recipe := i, strings.TrimPrefix(lines[i], "\t")
		for strings.HasSuffix(recipe, "\\") && i+1 < len(lines) {
			i++
			recipe = strings.TrimSuffix(recipe, "\\") + " " + strings.TrimSpace(lines[i])
		}
		recipe = strings.TrimLeft(recipe, "@-+ ")
		if err := scanShell(name, start, expandMake(recipe, vars), r); err != nil {
			return err
		}
	}
	return nil
}

// expandMake expands $(VAR) from vars (a few rounds, for nested
// variables), turns other references into a plain word and $$ into $.
func expandMake(s string, vars map[string]string) string {
	const dollar = "\x00"
	s = strings.ReplaceAll(s, "$$", dollar)
	for range 4 {
		s = makeRef.ReplaceAllStringFunc(s, func(ref string) string {
			if v, ok := vars[ref[2:len(ref)-1]]; ok {
				return v
			}
			return "MAKEREF"
		})
	}
	return strings.ReplaceAll(s, dollar, "$")
}
