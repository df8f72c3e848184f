package images

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

const faultappImage = "faultapp"

// FaultappSource writes faultapp's Docker build context (a Dockerfile at
// its root that needs no registry, and what it copies) into dir. The
// faultapp package provides it.
type FaultappSource func(ctx context.Context, dir string) error

// faultappTarget builds the faultapp image from the context the source
// writes. Its input is the digest of that context: the image is rebuilt
// exactly when what goes into it changes.
func faultappTarget(ref string, src FaultappSource) *Target {
	return &Target{
		Name: faultappImage, Ref: ref, Tools: []string{toolDocker},
		DynamicInputs: func(ctx context.Context, b *Builder) ([]Input, error) {
			dir, err := b.faultappContext(ctx, src)
			if err != nil {
				return nil, err
			}
			d, err := treeDigest(dir)
			if err != nil {
				return nil, err
			}
			return []Input{in("context", d)}, nil
		},
		Steps: []Step{
			{Name: "build context", Run: func(ctx context.Context, w *Work) error {
				_, err := w.b.faultappContext(ctx, src)
				return err
			}},
			{Name: "docker build", Run: func(ctx context.Context, w *Work) error {
				return run(ctx, w.Log, Cmd{Name: w.b.docker.bin, Args: []string{
					"build", "--label", InputsLabel + "=" + w.Hash, "-t", ref, w.b.faultappDir(),
				}, Env: []string{"DOCKER_BUILDKIT=0"}})
			}},
		},
	}
}

func (b *Builder) faultappDir() string { return filepath.Join(b.buildDir(), "context", faultappImage) }

// faultappContext (re)writes the build context once per builder.
func (b *Builder) faultappContext(ctx context.Context, src FaultappSource) (string, error) {
	b.faultappOnce.Do(func() {
		dir := b.faultappDir()
		if err := os.RemoveAll(dir); err != nil {
			b.faultappErr = err
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.faultappErr = err
			return
		}
		if err := src(ctx, dir); err != nil {
			b.faultappErr = fmt.Errorf("faultapp build context: %w", err)
		}
	})
	return b.faultappDir(), b.faultappErr
}

// treeDigest hashes the names, modes and contents of the files under dir.
func treeDigest(dir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	h := sha256.New()
	for _, p := range files {
		st, err := os.Lstat(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %o\n", filepath.ToSlash(rel), st.Mode())
		if st.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return "", err
			}
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return "", err
			}
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
