package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/harness/pins"
)

// UpstreamPrometheusImage is the published Prometheus image, pinned.
const UpstreamPrometheusImage = "prom/prometheus:" + pins.Prometheus

// ImagesFor returns the image set of a source. faultapp is always the
// locally built image.
func ImagesFor(src images.Source) (images.Set, error) {
	switch src {
	case images.Local:
		return images.LocalSet(), nil
	case images.Upstream:
		argo, err := addons.UpstreamArgoRolloutsImage()
		if err != nil {
			return images.Set{}, err
		}
		return images.Set{
			Source:       images.Upstream,
			Node:         pins.KindNodeUpstream,
			ArgoRollouts: argo,
			Prometheus:   UpstreamPrometheusImage,
			Faultapp:     images.LocalSet().Faultapp,
		}, nil
	}
	return images.Set{}, fmt.Errorf("unknown image source %q (want %s or %s)", src, images.Upstream, images.Local)
}

// ImageChoice is the outcome of ChooseImages.
type ImageChoice struct {
	Source images.Source
	Reason string
}

// registryProbeTimeout bounds the registry probe.
const registryProbeTimeout = 5 * time.Second

// ChooseImages picks the image source when the user did not: upstream if
// the Docker engine can reach the registry of the pinned node image
// (through its configured mirrors, if any), local otherwise. The probe
// asks the engine for the image's manifest descriptor: nothing is pulled.
func ChooseImages(ctx context.Context, d doctor.Docker) ImageChoice {
	ctx, cancel := context.WithTimeout(ctx, registryProbeTimeout)
	defer cancel()
	err := probeRegistry(ctx, d, pins.KindNodeUpstream)
	if err == nil {
		return ImageChoice{Source: images.Upstream, Reason: "the image registry answers"}
	}
	return ImageChoice{Source: images.Local, Reason: "no image registry answers (" + err.Error() + ")"}
}

func probeRegistry(ctx context.Context, d doctor.Docker, ref string) error {
	if sock, ok := dockerSocket(); ok {
		return distributionInspect(ctx, sock, ref)
	}
	_, err := d.Run(ctx, "manifest", "inspect", ref)
	return err
}

// dockerSocket returns the engine's unix socket, if it is reached by one.
func dockerSocket() (string, bool) {
	h := os.Getenv("DOCKER_HOST")
	switch {
	case h == "":
		return "/var/run/docker.sock", true
	case strings.HasPrefix(h, "unix://"):
		return strings.TrimPrefix(h, "unix://"), true
	}
	return "", false
}

// distributionInspect calls the engine's GET /distribution/{name}/json,
// which resolves a manifest on the registry without pulling it.
func distributionInspect(ctx context.Context, sock, ref string) error {
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var dl net.Dialer
			return dl.DialContext(ctx, "unix", sock)
		},
	}}
	u := "http://docker/distribution/" + url.PathEscape(ref) + "/json"
	u = strings.ReplaceAll(u, "%2F", "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var msg struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &msg) == nil && msg.Message != "" {
		return fmt.Errorf("%s", msg.Message)
	}
	return fmt.Errorf("engine answered %s", resp.Status)
}
