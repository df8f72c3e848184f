package images

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coalmine/coalmine/harness/pins"
)

// Target names of the Kubernetes pieces.
const (
	kubernetesArtifact = "kubernetes"
	kubeAPIServer      = "kube-apiserver"
	kubeControllerMgr  = "kube-controller-manager"
	kubeScheduler      = "kube-scheduler"
	kubeProxy          = "kube-proxy"
	kubeProxyRootfs    = "kube-proxy-rootfs"
)

// kubeCommands are the Kubernetes binaries built: the control plane, the
// node agent and kubeadm, and kubectl (kind runs it inside the node).
var kubeCommands = []string{kubeAPIServer, kubeControllerMgr, kubeScheduler, kubeProxy, "kubelet", "kubeadm", "kubectl"}

// buildDatePlaceholder in LDFlags becomes the upstream module's commit time.
const buildDatePlaceholder = "$BUILD_DATE"

// kubernetesBuild builds the Kubernetes commands like hack/lib/golang.sh
// does for a release (tags, -trimpath, -s -w) from k8s.io/kubernetes with
// its staging modules at their published versions.
func kubernetesBuild() goBuild {
	major, minor := kubeMajorMinor(pins.Kubernetes)
	var ld []string
	for _, pkg := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		for _, kv := range [][2]string{
			{"gitVersion", pins.Kubernetes}, {"gitMajor", major}, {"gitMinor", minor},
			{"gitTreeState", "clean"}, {"buildDate", buildDatePlaceholder},
		} {
			ld = append(ld, fmt.Sprintf("-X %s.%s=%s", pkg, kv[0], kv[1]))
		}
	}
	pkgs := make([]string, len(kubeCommands))
	for i, c := range kubeCommands {
		pkgs[i] = "k8s.io/kubernetes/cmd/" + c
	}
	return goBuild{
		Wrapper:  wrapper{Path: "coalmine.build/kubernetes", Upstream: mv("k8s.io/kubernetes", pins.Kubernetes), LocalVersion: pins.KubernetesStaging},
		Packages: pkgs,
		Tags:     []string{"selinux", "notest", "grpcnotrace"},
		LDFlags:  ld,
	}
}

// kubeMajorMinor splits "v1.34.3" into "1" and "34".
func kubeMajorMinor(v string) (string, string) {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return "", ""
	}
	return parts[0], parts[1]
}

// kubernetesTarget is the artifact holding the Kubernetes binaries.
func kubernetesTarget() *Target {
	g := kubernetesBuild()
	return &Target{
		Name:   kubernetesArtifact,
		Inputs: g.inputs(),
		Tools:  []string{toolGo},
		Steps: []Step{{Name: "go build", Run: func(ctx context.Context, w *Work) error {
			return g.build(ctx, w, w.Out)
		}}},
	}
}

// kubeRef names the control-plane images as kubeadm expects them with
// imageRepository set to Repository.
func kubeRef(name string) string { return Repository + "/" + name + ":" + pins.Kubernetes }

// controlPlaneTarget is a static control-plane component image. Static
// pods call the binary by name, so it is on PATH.
func controlPlaneTarget(name string) *Target {
	bin := "/usr/local/bin/" + name
	changes := []string{pathEnv, "ENTRYPOINT " + jsonArray(bin)}
	return staticImageTarget(name, kubeRef(name), []string{kubernetesArtifact}, nil, changes,
		func(ctx context.Context, w *Work) (*layer, error) {
			return staticBase().File(bin, 0o755, filepath.Join(w.Artifact(kubernetesArtifact), name)), nil
		})
}

// staticImageTarget is an image made of a few files (normally one static
// binary) on staticBase, imported with `docker import`. The image config
// changes are inputs.
func staticImageTarget(name, ref string, deps []string, inputs []Input, changes []string, files func(context.Context, *Work) (*layer, error)) *Target {
	for i, c := range changes {
		inputs = append(inputs, in(fmt.Sprintf("change%d", i), c))
	}
	return &Target{
		Name: name, Ref: ref, Deps: deps, Inputs: inputs, Tools: []string{toolDocker},
		Steps: []Step{{Name: "import image", Run: func(ctx context.Context, w *Work) error {
			l, err := files(ctx, w)
			if err != nil {
				return err
			}
			return l.Import(ctx, w, ref, append(append([]string{}, changes...), labelChange(w.Hash)))
		}}},
	}
}

// kubeProxyPackages is the userland kube-proxy programs rules with.
var kubeProxyPackages = []string{"iptables", "nftables", "conntrack", "ipset", "kmod"}

// kubeProxyTarget is kube-proxy on a Debian userland (it runs iptables,
// nft and conntrack). kubeadm's DaemonSet runs /usr/local/bin/kube-proxy.
func kubeProxyTarget() *Target {
	changes := []string{pathEnv, "ENTRYPOINT " + jsonArray("/usr/local/bin/kube-proxy")}
	var inputs []Input
	for i, c := range changes {
		inputs = append(inputs, in(fmt.Sprintf("change%d", i), c))
	}
	rootfs := func(w *Work) string { return w.Path("rootfs") }
	return &Target{
		Name: kubeProxy, Ref: kubeRef(kubeProxy), Deps: []string{kubeProxyRootfs, kubernetesArtifact}, Inputs: inputs,
		Tools: []string{"tar", toolDocker},
		Steps: []Step{
			{Name: "unpack rootfs", Run: func(ctx context.Context, w *Work) error {
				return unpackRootfs(ctx, w, kubeProxyRootfs, rootfs(w))
			}},
			{Name: "install kube-proxy", Run: func(ctx context.Context, w *Work) error {
				src := filepath.Join(w.Artifact(kubernetesArtifact), kubeProxy)
				if err := copyFile(src, filepath.Join(rootfs(w), "usr/local/bin", kubeProxy), 0o755); err != nil {
					return err
				}
				return slimRootfs(rootfs(w))
			}},
			{Name: "import image", Run: func(ctx context.Context, w *Work) error {
				return pipe(ctx, w.Log, tarRootfs(rootfs(w)),
					w.b.docker.importCmd(w.Target.Ref, append(append([]string{}, changes...), labelChange(w.Hash))))
			}},
		},
	}
}

// kubeBinary is the path of a built Kubernetes binary.
func kubeBinary(w *Work, name string) (string, error) {
	p := filepath.Join(w.Artifact(kubernetesArtifact), name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("kubernetes binary %s: %w", name, err)
	}
	return p, nil
}
