package doctor

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ProbeRepository is the local image repository of the probe image.
const ProbeRepository = "coalmine/doctor-probe"

// ProbeBinary is a statically linked program that can be the only file of
// the probe image, and the arguments that make it exit 0 at once.
type ProbeBinary struct {
	Path string
	Args []string
}

// ProbeImage is an imported probe image.
type ProbeImage struct {
	Ref  string
	Args []string
}

// DefaultProbeBinaries are the candidates tried after the caller's own:
// busybox from busybox-static, if present.
func DefaultProbeBinaries() []ProbeBinary {
	return []ProbeBinary{
		{Path: "/bin/busybox", Args: []string{"true"}},
		{Path: "/usr/bin/busybox", Args: []string{"true"}},
	}
}

// isStatic reports whether path is an ELF executable without a program
// interpreter (so it runs alone in an empty image).
func isStatic(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		return false
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}

// pickProbe returns the first static candidate.
func pickProbe(cands []ProbeBinary) (ProbeBinary, error) {
	for _, c := range cands {
		if c.Path != "" && isStatic(c.Path) {
			return c, nil
		}
	}
	var paths []string
	for _, c := range cands {
		paths = append(paths, c.Path)
	}
	return ProbeBinary{}, fmt.Errorf("no statically linked binary for the probe image among %s "+
		"(build coalmine with CGO_ENABLED=0 or install busybox-static)", strings.Join(paths, ", "))
}

// EnsureProbeImage imports (once per binary content) a one-file image
// holding the first static candidate. Nothing is pulled.
func EnsureProbeImage(ctx context.Context, d Docker, cands []ProbeBinary) (ProbeImage, error) {
	c, err := pickProbe(cands)
	if err != nil {
		return ProbeImage{}, err
	}
	data, err := os.ReadFile(c.Path)
	if err != nil {
		return ProbeImage{}, fmt.Errorf("read probe binary: %w", err)
	}
	sum := sha256.Sum256(data)
	name := "/" + filepath.Base(c.Path)
	ref := ProbeRepository + ":" + hex.EncodeToString(sum[:6])
	img := ProbeImage{Ref: ref, Args: c.Args}
	if id, err := d.ImageID(ctx, ref); err != nil {
		return ProbeImage{}, err
	} else if id != "" {
		return img, nil
	}
	tarball, err := singleFileTar(name, data)
	if err != nil {
		return ProbeImage{}, err
	}
	if _, err := d.RunIO(ctx, bytes.NewReader(tarball), "import",
		"--change", fmt.Sprintf(`ENTRYPOINT [%q]`, name), "-", ref); err != nil {
		return ProbeImage{}, fmt.Errorf("import probe image: %w", err)
	}
	removeOtherProbeTags(ctx, d, ref)
	return img, nil
}

// removeOtherProbeTags drops probe images of earlier binaries (best effort).
func removeOtherProbeTags(ctx context.Context, d Docker, keep string) {
	out, err := d.Run(ctx, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", ProbeRepository)
	if err != nil {
		return
	}
	for _, ref := range strings.Fields(string(out)) {
		if ref != keep {
			_, _ = d.Run(ctx, "image", "rm", ref)
		}
	}
}

func singleFileTar(name string, data []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: strings.TrimPrefix(name, "/"), Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := io.Copy(tw, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, errors.Join(errors.New("write probe tarball"), err)
	}
	return buf.Bytes(), nil
}
