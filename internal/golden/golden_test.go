package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheckWritesThenCompares(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	Check(t, path, []byte("a\nb\n"), true)
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\nb\n" {
		t.Fatalf("golden file %q, %v", b, err)
	}
	Check(t, path, []byte("a\nb\n"), false)

	ft := &testing.T{}
	done := make(chan struct{})
	go func() { defer close(done); Check(ft, path, []byte("a\nc\n"), false) }()
	<-done
	if !ft.Failed() {
		t.Error("a different output passed")
	}
}

func TestFirstDiff(t *testing.T) {
	if got, want := FirstDiff([]byte("a\nb"), []byte("a\nc")), "line 2:\n  want: b\n  got:  c"; got != want {
		t.Errorf("FirstDiff = %q, want %q", got, want)
	}
	if d := FirstDiff([]byte("same"), []byte("same")); d != "" {
		t.Errorf("FirstDiff of equal input = %q", d)
	}
}
