package app

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/harness/images"
)

func runImagesCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	return out.String() + errOut.String(), err
}

func TestImagesCommand(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantOut []string
		wantErr string
	}{
		{name: "help lists the subcommands", args: []string{"images", "--help"}, wantOut: []string{"build", "list"}},
		{name: "build help shows the flags", args: []string{"images", "build", "--help"}, wantOut: []string{"--only", "--force", "--jobs"}},
		{name: "unknown image", args: []string{"images", "build", "--only", "pause,nope"}, wantErr: `unknown image "nope"`},
		{name: "no positional arguments", args: []string{"images", "build", "node"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runImagesCLI(t, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestImagesList runs `coalmine images list` against the real Docker engine.
func TestImagesList(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the faultapp binary to hash it")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	out, err := runImagesCLI(t, "images", "list")
	if err != nil {
		t.Fatal(err)
	}
	set := images.LocalSet()
	for _, w := range []string{"NAME", "STATE", "INPUTS", set.Node, set.ArgoRollouts, set.Prometheus, set.Faultapp, images.PauseRef()} {
		if !strings.Contains(out, w) {
			t.Errorf("list lacks %q:\n%s", w, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.Contains(line, "missing") && !strings.Contains(line, "up to date") && !strings.Contains(line, "stale") {
			t.Errorf("line without a state: %q", line)
		}
	}
}
