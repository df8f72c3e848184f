package doctor

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
)

// ProbeRepository is the local image repository of the probe image.
const ProbeRepository = "coalmine/doctor-probe"

// ProbeImage is an imported probe image.
type ProbeImage struct {
	Ref string
}

// EnsureProbeImage imports (once per program content) a one-file image
// holding exitProgram for this machine's architecture. Nothing is pulled.
func EnsureProbeImage(ctx context.Context, d Docker) (ProbeImage, error) {
	data, err := exitProgram(runtime.GOARCH)
	if err != nil {
		return ProbeImage{}, err
	}
	sum := sha256.Sum256(data)
	const name = "/exit"
	ref := ProbeRepository + ":" + hex.EncodeToString(sum[:6])
	img := ProbeImage{Ref: ref}
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
