package hostdeps_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/hostdeps"
	"github.com/coalmine/coalmine/internal/hostdeps/hostscan"
)

// repoRoot is the module root, two levels up.
var repoRoot = filepath.Join("..", "..")

// hostScripts and makefiles are the scripts run on the host.
var (
	hostScripts = []string{".ci/run", hostdeps.Setup, "harness/doctor/runc-wrapper.sh", "hack/record-kind-fixtures.sh"}
	makefiles   = []string{"Makefile"}
)

// indirect maps Go call sites whose executable is not a string constant
// (file and expression) to the tool they run. A new such site fails the
// test until it is added here.
var indirect = map[[2]string]string{
	{"harness/doctor/docker.go", "d.bin()"}:          "docker",
	{"harness/doctor/daemon.go", "args[0]"}:          "dockerd",
	{"harness/images/docker.go", "d.bin"}:            "docker",
	{"harness/images/builder.go", "b.cfg.Go"}:        "go",
	{"harness/images/gobuild.go", "b.cfg.Go"}:        "go",
	{"harness/images/gobuild.go", "w.b.cfg.Go"}:      "go",
	{"harness/images/faultapp.go", "w.b.docker.bin"}: "docker",
	{"harness/images/node.go", "d.bin"}:              "docker",
	{"harness/images/node.go", "kubeadm"}:            "kubeadm (built, not a host tool)",
	{"harness/images/exec.go", "c.Name"}:             "(the Cmd being run)",
	{"reports/htmlreport/browser_test.go", "name"}:   "chromium",
	{"reports/htmlreport/browser_test.go", "bin"}:    "chromium",
	{"harness/doctor/exitprog_test.go", "path"}:      "(the probe program it wrote)",
	{"internal/hostdeps/hostdeps.go", "n"}:           "(the tools it checks)",
}

// TestToolsListed derives the executables the code, scripts and Makefile
// run and fails when tools.txt does not list one of them.
func TestToolsListed(t *testing.T) {
	res, err := hostscan.Tree(repoRoot, hostScripts, makefiles)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	for _, u := range res.Uses {
		if _, ok := used[u.Tool]; !ok {
			used[u.Tool] = u.Pos
		}
	}
	seen := map[[2]string]bool{}
	for _, u := range res.Unresolved {
		seen[[2]string{u.File, u.Expr}] = true
		tool, ok := indirect[[2]string{u.File, u.Expr}]
		if !ok {
			t.Errorf("%s: runs %s, which is not a string constant: add it to indirect with the tool it runs", u.Pos, u.Expr)
			continue
		}
		if !strings.Contains(tool, " ") && !strings.HasPrefix(tool, "(") {
			used[tool] = u.Pos
		}
	}
	for site := range indirect {
		if !seen[site] {
			t.Errorf("indirect lists %s in %s, which no longer runs anything: remove it", site[1], site[0])
		}
	}
	if len(used) < 10 {
		t.Fatalf("derived only %d tools (%v): the scan is broken", len(used), used)
	}
	for tool, pos := range used {
		if _, ok := hostdeps.Lookup(tool); !ok {
			t.Errorf("%s runs %s, which internal/hostdeps/tools.txt does not list (so %s would not install it)", pos, tool, hostdeps.Setup)
		}
	}
	for _, want := range []string{"docker", "debootstrap", "gcc", "jq", "chromium", "go"} {
		if _, ok := used[want]; !ok {
			t.Errorf("the scan did not find %s, which the code is known to run", want)
		}
	}
}

// TestToolsInstallable checks that every tool the setup script installs
// names a Debian package, and that the list parses.
func TestToolsInstallable(t *testing.T) {
	all, err := hostdeps.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range all {
		if (tool.Need == hostdeps.Run || tool.Need == hostdeps.Test) && tool.Package == "-" {
			t.Errorf("%s: need %s but no Debian package to install", tool.Name, tool.Need)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"docker docker.io\n", "tools.txt:1: want: tool package need"},
		{"# c\ndocker docker.io sometimes\n", `tools.txt:2: need: unknown "sometimes"`},
		{"a p run\na p run\n", "tools.txt:2: tool a listed twice"},
	} {
		_, err := hostdeps.ParseForTest(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parse(%q) = %v, want %q", tt.text, err, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := hostdeps.Check("go"); err != nil {
		t.Fatalf("Check(go) = %v", err)
	}
	err := hostdeps.Check("go", "debootstrap-not-here-42")
	var me *hostdeps.MissingError
	if !errors.As(err, &me) || len(me.Tools) != 1 || me.Tools[0].Name != "debootstrap-not-here-42" {
		t.Fatalf("Check = %v, want one missing tool", err)
	}
}
