package hostscan

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTree(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a/a.go", `package a

import "os/exec"

const tar = "tar"

type Cmd struct{ Name string }

func f(bin string) {
	_ = exec.Command("gcc", "-o", "x")
	_ = exec.CommandContext(nil, "/usr/sbin/runc")
	_, _ = exec.LookPath(tar)
	x := "strip"
	_ = Cmd{Name: x}
	_ = exec.Command(bin)
	_ = exec.Command("bin/own")
}
`)
	write(t, dir, "testdata/skip.go", `package skip; import "os/exec"; var _ = exec.Command("never")`)
	write(t, dir, "s.sh", "#!/bin/sh\nf() { jq . x; }\nf\nif ! command -v debootstrap >/dev/null; then nohup dockerd & fi\nexec /usr/bin/runc \"$@\"\nhack/own.sh | grep x\n")
	write(t, dir, "Makefile", "GO ?= go\nBIN := bin\nall:\n\t@$(GO) build -o $(BIN)/ ./...\n\ttest -z \"$$(gofmt -l .)\" || \\\n\t  echo no\n")
	r, err := Tree(dir, []string{"s.sh"}, []string{"Makefile"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"dockerd", "gcc", "go", "gofmt", "grep", "jq", "nohup", "runc", "strip", "tar"}
	if got := r.Tools(); !reflect.DeepEqual(got, want) {
		t.Errorf("tools = %v, want %v", got, want)
	}
	if len(r.Unresolved) != 1 || r.Unresolved[0].Expr != "bin" || r.Unresolved[0].Pos != "a/a.go:15" {
		t.Errorf("unresolved = %+v, want bin at a/a.go:15", r.Unresolved)
	}
}
