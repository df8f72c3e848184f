package image

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/coalmine/coalmine/faultapp"
)

// Package is the import path of faultapp's main package.
const Package = "github.com/coalmine/coalmine/cmd/faultapp"

// Binary is the file name of the binary inside the build context.
const Binary = "faultapp"

// BuildContext writes a docker build context into dir (created if
// missing): the static faultapp binary, built for linux with
//
//	CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o DIR/faultapp ./cmd/faultapp
//
// and the Dockerfile. It runs `go` from PATH in the current directory,
// which must be inside the coalmine module. GOARCH is inherited (default:
// this machine's), so the image matches the local Docker engine.
func BuildContext(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("image context: %w", err)
	}
	if err := buildBinary(ctx, filepath.Join(dir, Binary)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), faultapp.Dockerfile(), 0o644); err != nil {
		return fmt.Errorf("image context: write Dockerfile: %w", err)
	}
	return nil
}

func buildBinary(ctx context.Context, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("build faultapp: %w", err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", abs, Package)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build faultapp: %w\n%s", err, output.Bytes())
	}
	return nil
}

// Build makes the build context in dir and builds it into an image tagged
// tag with the docker CLI (`docker build -t TAG DIR`).
func Build(ctx context.Context, dir, tag string) error {
	if err := BuildContext(ctx, dir); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "docker", "build", "-t", tag, dir)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("docker build %s: %w\n%s", tag, err, output.Bytes())
	}
	return nil
}
