//go:build integration

package images

import (
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/faultapp/image"
)

// TestIntegrationBuildSmallImages builds the pause and faultapp images for
// real with Docker, checks their labels and configuration, then checks a
// second build finds them up to date.
//
//	go test -tags integration -run Integration ./harness/images/
func TestIntegrationBuildSmallImages(t *testing.T) {
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b, err := New(Config{CacheDir: t.TempDir(), Faultapp: image.BuildContext})
	if err != nil {
		t.Fatal(err)
	}
	only := []string{pauseImage, faultappImage}
	res, err := b.Build(ctx, BuildOptions{Only: only, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Built, only) || res.Log == "" {
		t.Fatalf("built %v (log %q), want %v", res.Built, res.Log, only)
	}
	hashes, err := b.hashesFor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, ref  string
		entrypoint []string
		user       string
	}{
		{pauseImage, PauseRef(), []string{"/pause"}, "65535:65535"},
		{faultappImage, LocalSet().Faultapp, []string{"/faultapp"}, ""},
	}
	for _, tt := range tests {
		out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{json .Config}}", tt.ref).Output()
		if err != nil {
			t.Fatalf("%s: %v", tt.ref, err)
		}
		var cfg struct {
			Entrypoint []string
			User       string
			Labels     map[string]string
		}
		if err := json.Unmarshal(out, &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Labels[InputsLabel] != hashes[tt.name] {
			t.Errorf("%s: label %q, want %q", tt.ref, cfg.Labels[InputsLabel], hashes[tt.name])
		}
		if !slices.Equal(cfg.Entrypoint, tt.entrypoint) {
			t.Errorf("%s: entrypoint %v, want %v", tt.ref, cfg.Entrypoint, tt.entrypoint)
		}
		if tt.user != "" && cfg.User != tt.user {
			t.Errorf("%s: user %q, want %q", tt.ref, cfg.User, tt.user)
		}
	}
	// The pause binary is static and runs on an empty filesystem.
	name := "coalmine-it-pause-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	if out, err := exec.CommandContext(ctx, "docker", "run", "-d", "--name", name, PauseRef()).CombinedOutput(); err != nil {
		t.Fatalf("run pause: %v: %s", err, out)
	}
	out, err := exec.CommandContext(ctx, "docker", "inspect", "--format", "{{.State.Running}}", name).Output()
	if err != nil || strings.TrimSpace(string(out)) != "true" {
		t.Errorf("pause container not running: %q %v", out, err)
	}

	again, err := New(Config{CacheDir: t.TempDir(), Faultapp: image.BuildContext})
	if err != nil {
		t.Fatal(err)
	}
	res, err = again.Build(ctx, BuildOptions{Only: only})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Built) != 0 || !slices.Equal(res.Cached, only) {
		t.Errorf("second build: built %v cached %v, want everything cached", res.Built, res.Cached)
	}
	sts, err := again.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if slices.Contains(only, s.Name) && !s.UpToDate() {
			t.Errorf("%s: not up to date after a build: %+v", s.Name, s)
		}
	}
}

// TestIntegrationArgoRolloutsManifest reads the install manifest from the
// pinned module (downloaded through the Go module proxy when not cached).
func TestIntegrationArgoRolloutsManifest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	m, err := ArgoRolloutsManifest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"kind: CustomResourceDefinition", "name: rollouts.argoproj.io", "kind: Deployment", "name: argo-rollouts", "imagePullPolicy:"} {
		if !strings.Contains(string(m), s) {
			t.Errorf("manifest lacks %q", s)
		}
	}
}
