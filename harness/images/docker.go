package images

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// docker runs the docker CLI.
type docker struct{ bin string }

// imageState is what the engine knows about an image reference.
type imageState struct {
	Present bool
	// ID is the image ID (sha256:...).
	ID string
	// Inputs is the InputsLabel value; empty when absent or unlabelled.
	Inputs string
}

// inspect returns the state of ref without failing when it is missing.
func (d docker) inspect(ctx context.Context, ref string) (imageState, error) {
	var stderr bytes.Buffer
	out, err := output(ctx, &stderr, Cmd{
		Name: d.bin,
		Args: []string{"image", "inspect", "--format", "{{.ID}} {{json .Config.Labels}}", ref},
	})
	if err != nil {
		if strings.Contains(stderr.String(), "No such image") {
			return imageState{}, nil
		}
		return imageState{}, fmt.Errorf("inspect %s: %w: %s", ref, err, lastLines(stderr.String(), 3))
	}
	id, js, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	var labels map[string]string
	if err := json.Unmarshal([]byte(js), &labels); err != nil {
		return imageState{}, fmt.Errorf("inspect %s: labels: %w", ref, err)
	}
	return imageState{Present: true, ID: id, Inputs: labels[InputsLabel]}, nil
}

// importCmd is `docker import` of a tar stream on stdin as ref, applying
// Dockerfile-style changes.
func (d docker) importCmd(ref string, changes []string) Cmd {
	args := []string{"import"}
	for _, c := range changes {
		args = append(args, "--change", c)
	}
	return Cmd{Name: d.bin, Args: append(args, "-", ref)}
}

// importReader creates ref from the tar stream r.
func (d docker) importReader(ctx context.Context, log io.Writer, r io.Reader, ref string, changes []string) error {
	c := d.importCmd(ref, changes)
	c.Stdin = r
	return run(ctx, log, c)
}

// rmContainer force-removes a container and its anonymous volumes.
func (d docker) rmContainer(ctx context.Context, log io.Writer, name string) error {
	return run(ctx, log, Cmd{Name: d.bin, Args: []string{"rm", "-f", "-v", name}})
}

// rmi removes an image tag (the layers stay while other images use them).
func (d docker) rmi(ctx context.Context, log io.Writer, ref string) error {
	return run(ctx, log, Cmd{Name: d.bin, Args: []string{"rmi", ref}})
}

// exec runs a command in a running container.
func (d docker) exec(container string, stdin bool, args ...string) Cmd {
	a := []string{"exec"}
	if stdin {
		a = append(a, "-i")
	}
	return Cmd{Name: d.bin, Args: append(append(a, container), args...)}
}

// lastLines returns the last n non-empty lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// labelChange is the --change instruction that sets the inputs label.
func labelChange(hash string) string {
	return fmt.Sprintf("LABEL %s=%s", InputsLabel, hash)
}

// jsonArray renders a Dockerfile exec-form array.
func jsonArray(args ...string) string {
	b, _ := json.Marshal(args)
	return string(b)
}
