package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Docker runs the docker CLI. The zero value uses "docker" from PATH.
type Docker struct {
	// Bin is the docker CLI binary; "docker" when empty.
	Bin string
}

// CmdError is a failed docker command with its captured stderr.
type CmdError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *CmdError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("docker %s: %s", strings.Join(e.Args, " "), msg)
}

func (e *CmdError) Unwrap() error { return e.Err }

func (d Docker) bin() string {
	if d.Bin == "" {
		return "docker"
	}
	return d.Bin
}

// Run runs docker with args and returns its stdout.
func (d Docker) Run(ctx context.Context, args ...string) ([]byte, error) {
	return d.RunIO(ctx, nil, args...)
}

// RunIO runs docker with args, stdin from in (may be nil), and returns stdout.
func (d Docker) RunIO(ctx context.Context, in io.Reader, args ...string) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, d.bin(), args...)
	cmd.Stdin = in
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return out.Bytes(), &CmdError{Args: args, Stderr: errb.String(), Err: err}
	}
	return out.Bytes(), nil
}

// Stream runs docker with args and hands its stdout to consume while it
// runs (for docker save piped into a node).
func (d Docker) Stream(ctx context.Context, consume func(io.Reader) error, args ...string) error {
	var errb bytes.Buffer
	cmd := exec.CommandContext(ctx, d.bin(), args...)
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("docker %s: %w", strings.Join(args, " "), err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("docker %s: %w", strings.Join(args, " "), err)
	}
	cerr := consume(out)
	if cerr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if werr != nil {
		return &CmdError{Args: args, Stderr: errb.String(), Err: werr}
	}
	return cerr
}

// Info is the part of `docker info` coalmine looks at.
type Info struct {
	ServerVersion  string                 `json:"ServerVersion"`
	DefaultRuntime string                 `json:"DefaultRuntime"`
	Runtimes       map[string]RuntimeInfo `json:"Runtimes"`
	CgroupVersion  string                 `json:"CgroupVersion"`
	CgroupDriver   string                 `json:"CgroupDriver"`
	DockerRootDir  string                 `json:"DockerRootDir"`
	RegistryConfig *RegistryConfig        `json:"RegistryConfig"`
	ServerErrors   []string               `json:"ServerErrors"`
}

// RuntimeInfo is one entry of docker info's Runtimes.
type RuntimeInfo struct {
	Path string `json:"path"`
}

// RegistryConfig is docker info's registry configuration.
type RegistryConfig struct {
	Mirrors []string `json:"Mirrors"`
}

// Info returns `docker info` of the engine.
func (d Docker) Info(ctx context.Context) (Info, error) {
	out, err := d.Run(ctx, "info", "--format", "{{json .}}")
	if err != nil {
		return Info{}, err
	}
	var info Info
	if err := json.Unmarshal(out, &info); err != nil {
		return Info{}, fmt.Errorf("decode docker info: %w", err)
	}
	if len(info.ServerErrors) > 0 {
		return info, fmt.Errorf("docker engine: %s", strings.Join(info.ServerErrors, "; "))
	}
	if info.ServerVersion == "" {
		return info, fmt.Errorf("docker engine did not answer")
	}
	return info, nil
}

// ImageID returns the ID of a local image, or "" when it is absent.
func (d Docker) ImageID(ctx context.Context, ref string) (string, error) {
	out, err := d.Run(ctx, "image", "inspect", "--format", "{{.Id}}", ref)
	if err != nil {
		var ce *CmdError
		if errors.As(err, &ce) && strings.Contains(strings.ToLower(ce.Stderr), "no such image") {
			return "", nil
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
