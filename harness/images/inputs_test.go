package images

import (
	"strings"
	"testing"
)

func TestHashInputs(t *testing.T) {
	base := []Input{in("module", "k8s.io/kubernetes@v1.34.3"), in("tags", "selinux,notest")}
	h0, err := hashInputs("kubernetes", base, map[string]string{"a": "1", "b": "2"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		target string
		inputs []Input
		deps   map[string]string
		same   bool
	}{
		{"same inputs, other order", "kubernetes", []Input{base[1], base[0]}, map[string]string{"b": "2", "a": "1"}, true},
		{"other value", "kubernetes", []Input{in("module", "k8s.io/kubernetes@v1.34.4"), base[1]}, map[string]string{"a": "1", "b": "2"}, false},
		{"other target name", "kube", base, map[string]string{"a": "1", "b": "2"}, false},
		{"dependency hash changed", "kubernetes", base, map[string]string{"a": "1", "b": "3"}, false},
		{"dependency missing", "kubernetes", base, map[string]string{"a": "1"}, false},
		{"extra input", "kubernetes", append(append([]Input{}, base...), in("go", "go1.26.8")), map[string]string{"a": "1", "b": "2"}, false},
		{"newline cannot forge another input", "kubernetes", []Input{in("module", "k8s.io/kubernetes@v1.34.3\nin:tags=\"selinux,notest\"")}, map[string]string{"a": "1", "b": "2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := hashInputs(tt.target, tt.inputs, tt.deps)
			if err != nil {
				t.Fatal(err)
			}
			if (h == h0) != tt.same {
				t.Errorf("hash equal = %v, want %v", h == h0, tt.same)
			}
			if len(h) != 64 {
				t.Errorf("hash %q is not a hex sha256", h)
			}
		})
	}
}

func TestHashInputsRejectsBadKeys(t *testing.T) {
	for _, ins := range [][]Input{
		{in("", "x")},
		{in("a=b", "x")},
		{in("a", "x"), in("a", "y")},
	} {
		if _, err := hashInputs("t", ins, nil); err == nil {
			t.Errorf("%v: want an error", ins)
		}
	}
}

func TestHashAllChainsDependencies(t *testing.T) {
	mk := func(v string) []*Target {
		return []*Target{
			{Name: "node", Ref: "r/node:1", Deps: []string{"bins", "pause"}},
			{Name: "bins", Inputs: []Input{in("version", v)}},
			{Name: "pause", Ref: "r/pause:1", Inputs: []Input{in("cflags", "-Os")}},
		}
	}
	a, err := hashAll(mk("v1"), []Input{in("go", "go1.26.8")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := hashAll(mk("v2"), []Input{in("go", "go1.26.8")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a["pause"] != b["pause"] {
		t.Error("pause hash changed although none of its inputs did")
	}
	if a["bins"] == b["bins"] || a["node"] == b["node"] {
		t.Error("a changed dependency must change the dependent's hash")
	}
	c, err := hashAll(mk("v1"), []Input{in("go", "go1.27.0")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c["pause"] == a["pause"] {
		t.Error("a common input (the Go version) must change every hash")
	}
	d, err := hashAll(mk("v1"), []Input{in("go", "go1.26.8")}, map[string][]Input{"pause": {in("context", "sha256:x")}})
	if err != nil {
		t.Fatal(err)
	}
	if d["pause"] == a["pause"] || d["bins"] != a["bins"] {
		t.Error("extra inputs must change only their target and its dependents")
	}
}

func TestHashAllErrors(t *testing.T) {
	tests := []struct {
		name    string
		targets []*Target
		wantErr string
	}{
		{"unknown dependency", []*Target{{Name: "a", Deps: []string{"b"}}}, "unknown dependency b"},
		{"cycle", []*Target{{Name: "a", Deps: []string{"b"}}, {Name: "b", Deps: []string{"a"}}}, "cycle"},
		{"duplicate", []*Target{{Name: "a"}, {Name: "a"}}, "duplicate target a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := hashAll(tt.targets, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestCatalogHashesAreStable pins the properties of the real catalog that
// the rebuild logic relies on: every target hashes, and the node image
// depends on every image kubeadm needs.
func TestCatalogHashesAreStable(t *testing.T) {
	b, err := New(Config{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	h1, err := hashAll(b.targets, []Input{in("go", "go1.26.8")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := hashAll(b.catalog(), []Input{in("go", "go1.26.8")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for n, h := range h1 {
		if h2[n] != h {
			t.Errorf("%s: hash differs between two catalogs", n)
		}
	}
	node := b.byName[nodeImage]
	for _, ref := range ControlPlaneImages() {
		found := false
		for _, d := range node.Deps {
			if t := b.byName[d]; t.Ref == ref {
				found = true
			}
		}
		if !found {
			t.Errorf("node image does not depend on %s", ref)
		}
	}
}
