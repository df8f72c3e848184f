package images

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCorednsMain(t *testing.T) {
	// The fixture is CoreDNS v1.12.1's core/plugin/zplugin.go (stored as
	// .txt so that it is not compiled into this package).
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/coredns/core/plugin/zplugin.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "core/plugin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "core/plugin/zplugin.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := corednsMain(modInfo{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	main := files["main.go"]
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", main, 0)
	if err != nil {
		t.Fatalf("generated main.go does not parse: %v\n%s", err, main)
	}
	imports := map[string]bool{}
	for _, imp := range f.Imports {
		imports[strings.Trim(imp.Path.Value, `"`)] = true
	}
	// Every plugin of the Corefile kubeadm writes must be compiled in.
	for _, p := range []string{"errors", "health", "ready", "kubernetes", "metrics", "forward", "cache", "loop", "reload", "loadbalance"} {
		if !imports["github.com/coredns/coredns/plugin/"+p] {
			t.Errorf("plugin %s missing", p)
		}
	}
	for _, p := range corednsExcluded {
		if imports["github.com/coredns/coredns/plugin/"+p] {
			t.Errorf("excluded plugin %s imported", p)
		}
	}
	if !imports["github.com/coredns/coredns/coremain"] || !strings.Contains(main, "coremain.Run()") || f.Name.Name != "main" {
		t.Errorf("main.go does not run coremain:\n%s", main)
	}
	if !imports["github.com/coredns/caddy/onevent"] {
		t.Error("non-plugin-directory imports (caddy's onevent) must be kept")
	}
}

func TestKubeMajorMinor(t *testing.T) {
	for v, want := range map[string][2]string{"v1.34.3": {"1", "34"}, "1.35.0": {"1", "35"}, "v1": {"", ""}} {
		if ma, mi := kubeMajorMinor(v); ma != want[0] || mi != want[1] {
			t.Errorf("%s: %s %s, want %v", v, ma, mi, want)
		}
	}
}
