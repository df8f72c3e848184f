package hostscan

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// scanGo finds exec.Command, exec.CommandContext and exec.LookPath calls
// and Cmd{Name: ...} literals, per package directory, resolving names
// that are string constants or variables initialised with a literal.
func scanGo(root string, r *Result) error {
	dirs := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if p != root && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") {
			dirs[filepath.Dir(p)] = append(dirs[filepath.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, files := range dirs {
		if err := scanGoPackage(root, files, r); err != nil {
			return err
		}
	}
	return nil
}

func scanGoPackage(root string, files []string, r *Result) error {
	fset := token.NewFileSet()
	var parsed []*ast.File
	strs := map[string]string{} // identifier -> string literal it is bound to
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		af, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			return err
		}
		parsed = append(parsed, af)
		collectStrings(af, strs)
	}
	for _, af := range parsed {
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if arg := execName(x); arg != nil {
					resolve(root, fset, arg, strs, r)
				}
			case *ast.CompositeLit:
				if arg := cmdName(x); arg != nil {
					resolve(root, fset, arg, strs, r)
				}
			}
			return true
		})
	}
	return nil
}

// collectStrings binds names declared with a single string literal (const
// or var specs, and := assignments) anywhere in f.
func collectStrings(f *ast.File, strs map[string]string) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ValueSpec:
			for i, name := range x.Names {
				if i < len(x.Values) {
					if s, ok := literal(x.Values[i]); ok {
						strs[name.Name] = s
					}
				}
			}
		case *ast.AssignStmt:
			if len(x.Lhs) == len(x.Rhs) {
				for i, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						if s, ok := literal(x.Rhs[i]); ok {
							strs[id.Name] = s
						}
					}
				}
			}
		}
		return true
	})
}

func literal(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}

// execName returns the executable argument of an os/exec call.
func execName(c *ast.CallExpr) ast.Expr {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "exec" {
		return nil
	}
	idx := map[string]int{"Command": 0, "LookPath": 0, "CommandContext": 1}
	i, ok := idx[sel.Sel.Name]
	if !ok || len(c.Args) <= i {
		return nil
	}
	return c.Args[i]
}

// cmdName returns the Name field of a Cmd{...} literal.
func cmdName(c *ast.CompositeLit) ast.Expr {
	id, ok := c.Type.(*ast.Ident)
	if !ok || id.Name != "Cmd" {
		return nil
	}
	for _, e := range c.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
				return kv.Value
			}
		}
	}
	return nil
}

func resolve(root string, fset *token.FileSet, e ast.Expr, strs map[string]string, r *Result) {
	p := fset.Position(e.Pos())
	file := rel(root, p.Filename)
	if s, ok := literal(e); ok {
		r.add(s, posOf(file, p.Line))
		return
	}
	if id, ok := e.(*ast.Ident); ok {
		if s, ok := strs[id.Name]; ok {
			r.add(s, posOf(file, p.Line))
			return
		}
	}
	r.Unresolved = append(r.Unresolved, Unresolved{Pos: posOf(file, p.Line), File: file, Expr: exprText(fset, e)})
}

func exprText(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	if err := printer.Fprint(&b, fset, e); err != nil {
		return "?"
	}
	return b.String()
}
