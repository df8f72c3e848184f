package cluster

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/harness/pins"
)

// engineOnSocket serves a Docker-engine-like distribution endpoint on a
// unix socket.
func engineOnSocket(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return sock
}

func TestDistributionInspect(t *testing.T) {
	var gotPath string
	ok := engineOnSocket(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path
		_, _ = w.Write([]byte(`{"Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json"}}`))
	})
	if err := distributionInspect(context.Background(), ok, pins.KindNodeUpstream); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(gotPath, "/distribution/kindest/node:") || !strings.HasSuffix(gotPath, "/json") {
		t.Errorf("path %q", gotPath)
	}
	down := engineOnSocket(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"message":"dial tcp: lookup registry: no such host"}`))
	})
	err := distributionInspect(context.Background(), down, pins.KindNodeUpstream)
	if err == nil || !strings.Contains(err.Error(), "no such host") {
		t.Fatalf("err = %v, want the engine's message", err)
	}
}

func TestImagesFor(t *testing.T) {
	local, err := ImagesFor(images.Local)
	if err != nil || local != images.LocalSet() {
		t.Fatalf("local = %+v, %v", local, err)
	}
	up, err := ImagesFor(images.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	if up.Node != pins.KindNodeUpstream || !strings.HasSuffix(up.ArgoRollouts, ":"+pins.ArgoRollouts) ||
		!strings.HasSuffix(up.Prometheus, ":"+pins.Prometheus) || up.Faultapp != local.Faultapp {
		t.Errorf("upstream = %+v", up)
	}
	if _, err := ImagesFor("quay"); err == nil {
		t.Error("unknown source accepted")
	}
}
