package images

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// cleanupTimeout bounds the cleanup of a target after failure or Ctrl-C.
const cleanupTimeout = 2 * time.Minute

// buildTarget runs t's steps, then publishes the result: an artifact's
// directory replaces the previous one with its stamp; an image must carry
// its inputs label. Cleanups always run.
func (b *Builder) buildTarget(ctx context.Context, t *Target, hash string, prev imageState, lg *buildLog, prog *progress) (err error) {
	sec, err := lg.section(t.Name)
	if err != nil {
		return err
	}
	start := b.cfg.Now()
	w := &Work{Target: t, Hash: hash, Log: sec, b: b}
	step := "prepare"
	defer func() {
		if cerr := b.cleanup(ctx, w); cerr != nil && err == nil {
			step, err = "cleanup", cerr
		}
		took := b.cfg.Now().Sub(start)
		status := "ok"
		if err != nil {
			status = fmt.Sprintf("FAILED at step %q: %v", step, err)
			fmt.Fprintf(sec, "# %s\n", status)
		}
		tail, lerr := sec.finish(status, took)
		if err == nil {
			err = lerr
		}
		if err != nil {
			prog.set(t.Name, stateFailed, step, "")
			err = &BuildError{Target: t.Name, Step: step, Log: lg.path, Tail: tail, Err: err}
			return
		}
		if rerr := b.times.record(t.Name, took); rerr != nil {
			b.cfg.Logger.Warn("build times not kept", "err", rerr)
		}
		prog.set(t.Name, stateDone, "", "")
	}()
	if err := b.prepare(w); err != nil {
		return err
	}
	for _, s := range t.Steps {
		step = s.Name
		prog.set(t.Name, stateBuilding, step, "")
		w.Logf("step %s", s.Name)
		if err := s.Run(ctx, w); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	step = "publish"
	return b.publish(ctx, w, prev)
}

// prepare creates the scratch (and artifact output) directories.
func (b *Builder) prepare(w *Work) error {
	tmp := filepath.Join(b.buildDir(), "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(tmp, w.Target.Name+"-")
	if err != nil {
		return err
	}
	w.Dir = dir
	w.OnCleanup(func(context.Context) error { return removeAll(dir) })
	if w.Target.IsImage() {
		return nil
	}
	parent := filepath.Dir(b.artifactDir(w.Target.Name))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	out, err := os.MkdirTemp(parent, w.Target.Name+".new-")
	if err != nil {
		return err
	}
	if err := os.Chmod(out, 0o755); err != nil { // MkdirTemp makes it 0700
		return err
	}
	w.Out = out
	w.OnCleanup(func(context.Context) error { return removeAll(out) })
	return nil
}

// publish makes a finished target visible. A rebuilt image's previous
// version is removed when nothing uses it any more (it would only hold
// disk space: node images are large).
func (b *Builder) publish(ctx context.Context, w *Work, prev imageState) error {
	if w.Target.IsImage() {
		st, err := b.docker.inspect(ctx, w.Target.Ref)
		if err != nil {
			return err
		}
		if st.Inputs != w.Hash {
			return fmt.Errorf("image %s has inputs label %q, want %q", w.Target.Ref, st.Inputs, w.Hash)
		}
		if prev.ID != "" && prev.ID != st.ID {
			if err := b.docker.rmi(ctx, w.Log, prev.ID); err != nil {
				w.Logf("previous image %s kept: %v", prev.ID, err)
			}
		}
		return nil
	}
	if err := os.WriteFile(filepath.Join(w.Out, stampFile), []byte(w.Hash+"\n"), 0o644); err != nil {
		return err
	}
	final := b.artifactDir(w.Target.Name)
	if err := removeAll(final); err != nil {
		return err
	}
	return os.Rename(w.Out, final)
}

// cleanup runs the target's cleanups in reverse order with a fresh
// context, so that they also run after Ctrl-C.
func (b *Builder) cleanup(ctx context.Context, w *Work) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	var errs []error
	for i := len(w.cleanups) - 1; i >= 0; i-- {
		if err := w.cleanups[i](cctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
