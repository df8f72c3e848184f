package app

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/harness/images"
)

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
			out, errOut, err := runCLI(t, tt.args...)
			out += errOut
			expectOutput(t, out, err, tt.wantErr, tt.wantOut)
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
	out, errOut, err := runCLI(t, "images", "list")
	out += errOut
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
