package images

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coalmine/coalmine/harness/pins"
)

const (
	argoImage       = "argo-rollouts"
	prometheusImage = "prometheus"
	argoModule      = "github.com/argoproj/argo-rollouts"
	// argoManifest is the install manifest inside the Argo Rollouts module.
	argoManifest = "manifests/install.yaml"
	// argoUID is the user the controller runs as (its Dockerfile's USER).
	argoUID = 999
)

// argoTarget builds the Argo Rollouts controller like its Makefile does,
// in an image laid out like its Dockerfile's (non-root user 999, working
// directory /home/argo-rollouts).
func argoTarget(ref string) *Target {
	pkg := argoModule + "/utils/version"
	g := goBuild{
		Wrapper:  wrapper{Path: "coalmine.build/argo-rollouts", Upstream: mv(argoModule, pins.ArgoRollouts)},
		Packages: []string{argoModule + "/cmd/rollouts-controller"},
		LDFlags: []string{
			"-X " + pkg + ".version=" + strings.TrimPrefix(pins.ArgoRollouts, "v"),
			"-X " + pkg + ".buildDate=" + buildDatePlaceholder,
			"-X " + pkg + ".gitTreeState=clean",
		},
	}
	home := "/home/argo-rollouts"
	argo := user{Name: "argo-rollouts", ID: argoUID, Home: home}
	t := staticImageTarget(argoImage, ref, nil, g.inputs(),
		[]string{fmt.Sprintf("USER %d", argoUID), "WORKDIR " + home, "ENTRYPOINT " + jsonArray("/bin/rollouts-controller")},
		func(ctx context.Context, w *Work) (*layer, error) {
			return staticBase(argo).
				Dir(home, 0o755, argoUID, argoUID).
				File("/bin/rollouts-controller", 0o755, w.Path("bin", "rollouts-controller")), nil
		})
	t.Steps = append([]Step{{Name: "go build", Run: func(ctx context.Context, w *Work) error {
		return g.build(ctx, w, w.Path("bin"))
	}}}, t.Steps...)
	t.Background = true
	t.Tools = append(t.Tools, toolGo, "nice")
	return t
}

// ArgoRolloutsManifest returns Argo Rollouts' install manifest from the
// pinned module version (the same source the controller image is built
// from). It names the upstream image with imagePullPolicy Always: with
// local images the caller sets LocalSet().ArgoRollouts and IfNotPresent.
func ArgoRolloutsManifest(ctx context.Context) ([]byte, error) {
	dir, err := os.MkdirTemp("", "coalmine-argo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	b := &Builder{cfg: Config{Go: "go", CacheDir: dir}}
	w := &Work{b: b, Log: &strings.Builder{}}
	mi, err := b.module(ctx, w, argoModule, pins.ArgoRollouts)
	if err != nil {
		return nil, fmt.Errorf("argo rollouts manifest: %w", err)
	}
	return os.ReadFile(filepath.Join(mi.Dir, argoManifest))
}

// prometheusTags leave out every service discovery but Kubernetes' (and
// the always-present static, file and http ones), and the web UI assets
// (built by a JavaScript toolchain, absent from the module): the API and
// scraping work without them.
var prometheusTags = []string{"netgo", "remove_all_sd", "enable_kubernetes_sd"}

// prometheusTarget builds Prometheus from its Go module in an image laid
// out like its Dockerfile's: user nobody, data in /prometheus.
func prometheusTarget(ref string) *Target {
	pkg := "github.com/prometheus/common/version"
	g := goBuild{
		Wrapper:  wrapper{Path: "coalmine.build/prometheus", Upstream: mv("github.com/prometheus/prometheus", pins.PrometheusModule)},
		Packages: []string{"github.com/prometheus/prometheus/cmd/prometheus"},
		Tags:     prometheusTags,
		LDFlags: []string{
			"-X " + pkg + ".Version=" + strings.TrimPrefix(pins.Prometheus, "v"),
			"-X " + pkg + ".BuildUser=coalmine",
			"-X " + pkg + ".BuildDate=" + buildDatePlaceholder,
		},
	}
	uid := nobodyUser.ID
	t := staticImageTarget(prometheusImage, ref, nil, g.inputs(),
		[]string{
			"USER nobody", "WORKDIR /prometheus", "EXPOSE 9090", "VOLUME [\"/prometheus\"]",
			"ENTRYPOINT " + jsonArray("/bin/prometheus"),
			"CMD " + jsonArray("--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"),
		},
		func(ctx context.Context, w *Work) (*layer, error) {
			mi, err := w.b.module(ctx, w, g.Wrapper.Upstream.Path, g.Wrapper.Upstream.Version)
			if err != nil {
				return nil, err
			}
			return staticBase().
				File("/bin/prometheus", 0o755, w.Path("bin", "prometheus")).
				Dir("/etc/prometheus", 0o755, uid, uid).
				File("/etc/prometheus/prometheus.yml", 0o644, filepath.Join(mi.Dir, "documentation/examples/prometheus.yml")).
				Dir("/prometheus", 0o775, uid, uid), nil
		})
	t.Steps = append([]Step{{Name: "go build", Run: func(ctx context.Context, w *Work) error {
		if err := g.build(ctx, w, w.Path("bin")); err != nil {
			return err
		}
		return checkVersionFile(ctx, w, g.Wrapper.Upstream.Path, g.Wrapper.Upstream.Version, pins.Prometheus)
	}}}, t.Steps...)
	t.Background = true
	t.Tools = append(t.Tools, toolGo, "nice")
	return t
}

// checkVersionFile verifies that a module version is the release it is
// pinned as (Prometheus 3.x is published as module v0.3xx.y).
func checkVersionFile(ctx context.Context, w *Work, mod, version, release string) error {
	mi, err := w.b.module(ctx, w, mod, version)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(mi.Dir, "VERSION"))
	if err != nil {
		return err
	}
	if got := strings.TrimSpace(string(b)); got != strings.TrimPrefix(release, "v") {
		return fmt.Errorf("%s@%s is release %s, pinned as %s", mod, version, got, release)
	}
	return nil
}
