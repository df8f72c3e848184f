package images

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
)

// Target is one thing the build produces: a Docker image (Ref set) or an
// artifact directory in the cache that images are made from (Ref empty,
// for example the Kubernetes binaries).
type Target struct {
	// Name is how users select the target (--only) and how logs name it.
	Name string
	// Ref is the image reference; empty for an artifact.
	Ref string
	// Deps are targets that must be up to date before this one builds.
	Deps []string
	// Inputs are hashed, with the dependencies' hashes, into InputsLabel.
	Inputs []Input
	// DynamicInputs, when set, computes further inputs at plan time (the
	// digest of a generated build context...). An error becomes an input
	// too: the target is then stale and its build reports the error.
	DynamicInputs func(ctx context.Context, b *Builder) ([]Input, error)
	// Steps build the target, in order.
	Steps []Step
	// Background targets are off the node image's critical path (the
	// add-ons): their Go builds run at a lower CPU priority (nice 10), so
	// the node's pieces get the cores first and these fill the gaps.
	Background bool
	// Tools are the host executables its steps run ("docker" and "go"
	// stand for Config.Docker and Config.Go); a build checks them all
	// before its first step.
	Tools []string
	// Light targets hardly use the CPU (they download and unpack): they
	// build as soon as their dependencies are ready, without a job slot.
	Light bool
}

// IsImage reports whether the target is a Docker image.
func (t *Target) IsImage() bool { return t.Ref != "" }

// Step is one small build step of a target.
type Step struct {
	Name string
	Run  func(ctx context.Context, w *Work) error
}

// Work is what a step gets: its target, a private scratch directory, the
// log, the outputs of its dependencies and the shared tools.
type Work struct {
	Target *Target
	// Hash is the target's input hash; images are labelled with it.
	Hash string
	// Dir is a scratch directory removed when the target is done.
	Dir string
	// Out is where an artifact target writes its files (empty for images);
	// it replaces the previous output only when every step succeeded.
	Out string
	// Log receives the output of every command the steps run.
	Log io.Writer

	b        *Builder
	cleanups []func(context.Context) error
}

// Artifact returns the output directory of the artifact target dep.
func (w *Work) Artifact(dep string) string { return w.b.artifactDir(dep) }

// Path joins elem onto the scratch directory.
func (w *Work) Path(elem ...string) string {
	return filepath.Join(append([]string{w.Dir}, elem...)...)
}

// OnCleanup registers f to run when the target finishes, in reverse order,
// even when the build fails or is cancelled (with a fresh context).
func (w *Work) OnCleanup(f func(ctx context.Context) error) {
	w.cleanups = append(w.cleanups, f)
}

// Logf writes a line to the target's log.
func (w *Work) Logf(format string, args ...any) {
	fmt.Fprintf(w.Log, "# "+format+"\n", args...)
}
