package images

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/golden"

	"golang.org/x/mod/modfile"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestWrapperGoMod(t *testing.T) {
	tests := []struct {
		name     string
		upstream string
		w        wrapper
		// replaces is how many replace directives the wrapper must carry.
		replaces int
		// want are replacements (old => new@version) that must be present.
		want []string
	}{
		{
			name:     "kubernetes staging modules become published versions",
			upstream: "kubernetes-v1.34.3.mod",
			w:        wrapper{Path: "coalmine.build/kubernetes", Upstream: mv("k8s.io/kubernetes", "v1.34.3"), LocalVersion: "v0.34.3"},
			replaces: 31,
			want:     []string{"k8s.io/api => k8s.io/api@v0.34.3", "k8s.io/kube-aggregator => k8s.io/kube-aggregator@v0.34.3"},
		},
		{
			name:     "etcd local replacements are dropped",
			upstream: "etcd-server-v3.6.5.mod",
			w:        wrapper{Path: "coalmine.build/etcd", Upstream: mv("go.etcd.io/etcd/server/v3", "v3.6.5")},
			replaces: 0,
		},
		{
			name:     "argo rollouts replacements are copied as they are",
			upstream: "argo-rollouts-v1.10.1.mod",
			w:        wrapper{Path: "coalmine.build/argo-rollouts", Upstream: mv("github.com/argoproj/argo-rollouts", "v1.10.1"), LocalVersion: "v0.34.3"},
			replaces: 34,
			want: []string{
				"k8s.io/api => k8s.io/api@v0.34.5",
				"github.com/go-telegram-bot-api/telegram-bot-api/v5 => github.com/OvyFlash/telegram-bot-api/v5@v5.0.0-20240108230938-63e5c59035bf",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := os.ReadFile(filepath.Join("testdata/gomod", tt.upstream))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.w.goMod(up)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata/gomod", strings.TrimSuffix(tt.upstream, ".mod")+".wrapper.golden"), got, *update)
			f, err := modfile.Parse("go.mod", got, nil)
			if err != nil {
				t.Fatalf("wrapper go.mod does not parse: %v", err)
			}
			if f.Module.Mod.Path != tt.w.Path {
				t.Errorf("module %s, want %s", f.Module.Mod.Path, tt.w.Path)
			}
			upf, _ := modfile.Parse("up", up, nil)
			if f.Go == nil || f.Go.Version != upf.Go.Version {
				t.Errorf("go directive %v, want upstream's %s", f.Go, upf.Go.Version)
			}
			if len(f.Require) != 1 || f.Require[0].Mod != tt.w.Upstream {
				t.Errorf("requires %v, want only %v", f.Require, tt.w.Upstream)
			}
			if len(f.Replace) != tt.replaces {
				t.Errorf("%d replace directives, want %d", len(f.Replace), tt.replaces)
			}
			have := map[string]bool{}
			for _, r := range f.Replace {
				if modfile.IsDirectoryPath(r.New.Path) {
					t.Errorf("local replacement left: %s => %s", r.Old.Path, r.New.Path)
				}
				have[r.Old.Path+" => "+r.New.Path+"@"+r.New.Version] = true
			}
			for _, w := range tt.want {
				if !have[w] {
					t.Errorf("missing replacement %s", w)
				}
			}
		})
	}
}

func TestWrapperGoModKeepsGodebug(t *testing.T) {
	up, err := os.ReadFile("testdata/gomod/kubernetes-v1.34.3.mod")
	if err != nil {
		t.Fatal(err)
	}
	got, err := wrapper{Path: "x.test/k", Upstream: mv("k8s.io/kubernetes", "v1.34.3"), LocalVersion: "v0.34.3"}.goMod(up)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "godebug default=go1.24") {
		t.Errorf("godebug line not carried over:\n%s", got)
	}
}

func TestWrapperGoModErrors(t *testing.T) {
	tests := []struct {
		name, upstream, wantErr string
	}{
		{"not the upstream module", "module example.com/other\n\ngo 1.24\n", "is not module"},
		{"unparsable", "module k8s.io/kubernetes\nreplace (\n", "parse upstream go.mod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wrapper{Path: "x.test/k", Upstream: mv("k8s.io/kubernetes", "v1.34.3")}.goMod([]byte(tt.upstream))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
