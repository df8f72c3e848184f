package images

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/hostdeps/hostscan"
)

// TestBuildToolsDerived derives the host executables this package's
// non-test code runs and checks that the targets' Tools, which a build
// checks before its first step, name exactly those. Docker and go are
// run by the names Config gives (not constants); every target names them.
func TestBuildToolsDerived(t *testing.T) {
	res, err := hostscan.Tree(".", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var derived []string
	for _, u := range res.Uses {
		if !strings.Contains(u.Pos, "_test.go:") && !slices.Contains(derived, u.Tool) {
			derived = append(derived, u.Tool)
		}
	}
	slices.Sort(derived)
	b, err := New(Config{CacheDir: t.TempDir(), Faultapp: func(ctx context.Context, dir string) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, tool := range b.tools(b.targets) {
		if tool != b.cfg.Docker && tool != b.cfg.Go {
			declared = append(declared, tool)
		}
	}
	slices.Sort(declared)
	if !reflect.DeepEqual(derived, declared) {
		t.Errorf("the code runs %v; the targets' Tools name %v", derived, declared)
	}
	for _, tg := range b.targets {
		if len(tg.Tools) == 0 {
			t.Errorf("target %s names no tools", tg.Name)
		}
	}
}
