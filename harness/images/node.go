package images

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/coalmine/coalmine/harness/pins"
)

// Target names of the node image and of its root filesystem.
const (
	nodeImage  = "node"
	nodeRootfs = "node-rootfs"
)

// nodePackages are the Debian packages of the node: what kind's base image
// installs (systemd, networking tools, jq, curl...) plus containerd, runc
// and the CNI plugins that kind builds from source.
var nodePackages = []string{
	"systemd", "systemd-sysv", "dbus", "conntrack", "iptables", "nftables", "iproute2", "ethtool",
	"util-linux", "mount", "kmod", "libseccomp2", "pigz", "bash", "ca-certificates", "curl", "jq",
	"procps", "containerd", "runc", "containernetworking-plugins",
}

// nodeConfigureScript repeats the RUN steps of kind's images/base/Dockerfile
// in a chroot of the node's root filesystem.
const nodeConfigureScript = `chmod 755 /kind/bin
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/*
rm -f /etc/systemd/system/*.wants/*
rm -f /lib/systemd/system/local-fs.target.wants/*
rm -f /lib/systemd/system/sockets.target.wants/*udev*
rm -f /lib/systemd/system/sockets.target.wants/*initctl*
rm -f /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /lib/systemd/systemd /sbin/init
systemctl enable kubelet.service
systemctl enable containerd.service
systemctl enable undo-mount-hacks.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests
ctr oci spec > /tmp/oci-spec.json
jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' /tmp/oci-spec.json \
  | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json
rm /tmp/oci-spec.json
containerd --version
runc --version
`

// nodeEntrypoint is kind's node entrypoint (kind overrides it at run time).
var nodeEntrypoint = jsonArray("/usr/local/bin/entrypoint", "/sbin/init")

// nodeStageDockerfile adds what `docker import` cannot set.
const nodeStageDockerfile = "FROM %s\nSTOPSIGNAL SIGRTMIN+3\n"

// preloadImport is how control-plane images enter the node's containerd:
// in the namespace the CRI uses, unpacked on first use. Debian's ctr
// (containerd 1.6) has no import --label: preloadPin labels them after.
var preloadImport = []string{"ctr", "-n", "k8s.io", "images", "import", "--all-platforms", "--no-unpack", "--digests", "-"}

// preloadPin is the label that pins an image against kubelet's image GC.
const preloadPin = "io.cri-containerd.pinned=pinned"

// nodePreloads are the images preloaded into the node: exactly what
// kubeadm pulls with imageRepository set to Repository.
var nodePreloads = []string{kubeAPIServer, kubeControllerMgr, kubeScheduler, kubeProxy, etcdImage, corednsImage, pauseImage}

// nodeTarget assembles the kind node image directly (kind's own node
// image build pulls images from a registry).
func nodeTarget(refs map[string]string) *Target {
	deps := append([]string{nodeRootfs, kubernetesArtifact, crictlBinary}, nodePreloads...)
	inputs := []Input{
		in("kind-base-files", "sigs.k8s.io/kind@"+pins.Kind+"/images/base/files"),
		in("configure", fileDigest([]byte(nodeConfigureScript))),
		in("stage", nodeStageDockerfile),
		in("entrypoint", nodeEntrypoint),
		in("preload", strings.Join(preloadImport, " ")),
		in("pin", preloadPin),
		in("sandbox-image", PauseRef()),
	}
	rootfs := func(w *Work) string { return w.Path("rootfs") }
	return &Target{
		Name: nodeImage, Ref: refs[nodeImage], Deps: deps, Inputs: inputs,
		Tools: []string{"tar", "chroot", toolDocker},
		Steps: []Step{
			{Name: "check kubeadm image list", Run: func(ctx context.Context, w *Work) error { return checkKubeadmImages(ctx, w, refs) }},
			{Name: "unpack rootfs", Run: func(ctx context.Context, w *Work) error {
				return unpackRootfs(ctx, w, nodeRootfs, rootfs(w))
			}},
			{Name: "kind base files", Run: func(ctx context.Context, w *Work) error { return installKindFiles(ctx, w, rootfs(w)) }},
			{Name: "kubernetes binaries", Run: func(ctx context.Context, w *Work) error { return installNodeBinaries(w, rootfs(w)) }},
			{Name: "configure", Run: func(ctx context.Context, w *Work) error {
				if err := chroot(ctx, w, rootfs(w), nodeConfigureScript); err != nil {
					return err
				}
				return slimRootfs(rootfs(w))
			}},
			{Name: "import rootfs", Run: func(ctx context.Context, w *Work) error { return importNodeRootfs(ctx, w, rootfs(w)) }},
			{Name: "preload images", Run: func(ctx context.Context, w *Work) error { return preloadNode(ctx, w, refs) }},
		},
	}
}

// checkKubeadmImages fails early when the built kubeadm would ask for
// images under other names than the ones preloaded.
func checkKubeadmImages(ctx context.Context, w *Work, refs map[string]string) error {
	kubeadm, err := kubeBinary(w, "kubeadm")
	if err != nil {
		return err
	}
	out, err := output(ctx, w.Log, Cmd{Name: kubeadm, Args: []string{
		"config", "images", "list", "--kubernetes-version", pins.Kubernetes, "--image-repository", Repository,
	}})
	if err != nil {
		return err
	}
	w.Logf("kubeadm images:\n%s", out)
	got := strings.Fields(string(out))
	var want []string
	for _, n := range nodePreloads {
		want = append(want, refs[n])
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("kubeadm %s expects images %v, the build makes %v", pins.Kubernetes, got, want)
	}
	return nil
}

// installKindFiles copies kind's images/base/files (same kind version as
// the library) into the root filesystem with the Dockerfile's modes, then
// adapts them to Debian's paths and coalmine's sandbox image.
func installKindFiles(ctx context.Context, w *Work, rootfs string) error {
	mi, err := w.b.module(ctx, w, "sigs.k8s.io/kind", pins.Kind)
	if err != nil {
		return err
	}
	err = copyTree(filepath.Join(mi.Dir, "images/base/files"), rootfs, func(rel string) os.FileMode {
		if strings.HasPrefix(rel, "usr/local/bin/") || strings.HasPrefix(rel, "kind/bin/") {
			return 0o755
		}
		return 0o644
	})
	if err != nil {
		return err
	}
	// Debian installs containerd in /usr/bin (kind: /usr/local/bin).
	if err := editFile(filepath.Join(rootfs, "etc/systemd/system/containerd.service"),
		regexp.MustCompile(`(?m)^ExecStart=/usr/local/bin/containerd$`), "ExecStart=/usr/bin/containerd"); err != nil {
		return err
	}
	// The sandbox image is the locally built pause.
	if err := editFile(filepath.Join(rootfs, "etc/containerd/config.toml"),
		regexp.MustCompile(`(?m)^(\s*)sandbox_image = ".*"$`), `${1}sandbox_image = "`+PauseRef()+`"`); err != nil {
		return err
	}
	// Debian's CNI plugins live in /usr/lib/cni (kind: /opt/cni/bin).
	if err := os.MkdirAll(filepath.Join(rootfs, "opt/cni"), 0o755); err != nil {
		return err
	}
	return os.Symlink("/usr/lib/cni", filepath.Join(rootfs, "opt/cni/bin"))
}

// editFile replaces the matches of re in path; no match is an error (the
// upstream file changed and the fix must be revisited).
func editFile(path string, re *regexp.Regexp, repl string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !re.Match(b) {
		return fmt.Errorf("%s: no line matches %s", path, re)
	}
	return os.WriteFile(path, re.ReplaceAll(b, []byte(repl)), 0o644)
}

// installNodeBinaries adds kubelet, kubeadm, kubectl (where kind's units
// expect them), crictl and /kind/version.
func installNodeBinaries(w *Work, rootfs string) error {
	for _, name := range []string{"kubelet", "kubeadm", "kubectl"} {
		src, err := kubeBinary(w, name)
		if err != nil {
			return err
		}
		if err := copyFile(src, filepath.Join(rootfs, "usr/bin", name), 0o755); err != nil {
			return err
		}
	}
	if err := copyFile(filepath.Join(w.Artifact(crictlBinary), "crictl"), filepath.Join(rootfs, "usr/local/bin/crictl"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(rootfs, "kind/version"), []byte(pins.Kubernetes), 0o644)
}

// stageRefs are the intermediate image tags of the node build.
func stageRefs(hash string) (base, stage string) {
	return Repository + "/node-build:base-" + hash[:12], Repository + "/node-build:stage-" + hash[:12]
}

// importNodeRootfs imports the root filesystem and adds STOPSIGNAL with a
// one-line docker build.
func importNodeRootfs(ctx context.Context, w *Work, rootfs string) error {
	d := w.b.docker
	base, stage := stageRefs(w.Hash)
	w.OnCleanup(func(ctx context.Context) error { return rmiIfPresent(ctx, w, base) })
	w.OnCleanup(func(ctx context.Context) error { return rmiIfPresent(ctx, w, stage) })
	changes := []string{"ENV container=docker", "ENTRYPOINT " + nodeEntrypoint}
	if err := pipe(ctx, w.Log, tarRootfs(rootfs), d.importCmd(base, changes)); err != nil {
		return err
	}
	dir := w.Path("stage")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(nodeStageDockerfile, base)), 0o644); err != nil {
		return err
	}
	return run(ctx, w.Log, Cmd{Name: d.bin, Args: []string{"build", "-t", stage, dir}, Env: []string{"DOCKER_BUILDKIT=0"}})
}

// rmiIfPresent removes an intermediate tag if it exists.
func rmiIfPresent(ctx context.Context, w *Work, ref string) error {
	st, err := w.b.docker.inspect(ctx, ref)
	if err != nil || !st.Present {
		return err
	}
	return w.b.docker.rmi(ctx, w.Log, ref)
}

// preloadNode runs the node's containerd alone in a container of the stage
// image, imports the control-plane images into it, stops it cleanly and
// commits the result as the node image.
func preloadNode(ctx context.Context, w *Work, refs map[string]string) error {
	d := w.b.docker
	name := "coalmine-build-node-" + w.Hash[:12]
	if err := startBuildContainerd(ctx, w, name); err != nil {
		return err
	}
	for _, n := range nodePreloads {
		save := Cmd{Name: d.bin, Args: []string{"save", refs[n]}}
		if err := pipe(ctx, w.Log, save, d.exec(name, true, preloadImport...)); err != nil {
			return fmt.Errorf("preload %s: %w", refs[n], err)
		}
		label := d.exec(name, false, "ctr", "-n", "k8s.io", "images", "label", "docker.io/"+refs[n], preloadPin)
		if err := run(ctx, w.Log, label); err != nil {
			return fmt.Errorf("pin %s: %w", refs[n], err)
		}
	}
	if err := checkPreloaded(ctx, w, name, refs); err != nil {
		return err
	}
	if err := run(ctx, w.Log, Cmd{Name: d.bin, Args: []string{"kill", "--signal", "TERM", name}}); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := run(wctx, w.Log, Cmd{Name: d.bin, Args: []string{"wait", name}}); err != nil {
		return fmt.Errorf("containerd did not stop: %w", err)
	}
	return run(ctx, w.Log, Cmd{Name: d.bin, Args: []string{
		"commit",
		"--change", "ENTRYPOINT " + nodeEntrypoint,
		"--change", "ENV container=docker",
		"--change", labelChange(w.Hash),
		name, w.Target.Ref,
	}})
}

// startBuildContainerd starts the stage image with containerd as its only
// process (removed when the target finishes) and waits until it answers.
func startBuildContainerd(ctx context.Context, w *Work, name string) error {
	d := w.b.docker
	_, stage := stageRefs(w.Hash)
	_ = d.rmContainer(ctx, w.Log, name) // a leftover of a killed build
	w.OnCleanup(func(ctx context.Context) error { return d.rmContainer(ctx, w.Log, name) })
	if err := run(ctx, w.Log, Cmd{Name: d.bin, Args: []string{
		"run", "-d", "--name", name, "--security-opt", "seccomp=unconfined",
		"--entrypoint", "/usr/bin/containerd", stage,
	}}); err != nil {
		return err
	}
	if err := waitFor(ctx, 60*time.Second, func(ctx context.Context) error {
		return run(ctx, w.Log, d.exec(name, false, "ctr", "version"))
	}); err != nil {
		return fmt.Errorf("containerd in the build container never answered: %w", err)
	}
	return nil
}

// checkPreloaded verifies the node's containerd lists every preloaded
// image, pinned, under the name the CRI resolves kubeadm's reference to.
func checkPreloaded(ctx context.Context, w *Work, name string, refs map[string]string) error {
	out, err := output(ctx, w.Log, w.b.docker.exec(name, false, "ctr", "-n", "k8s.io", "images", "ls"))
	if err != nil {
		return err
	}
	pinned := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			pinned[f[0]] = strings.Contains(line, preloadPin)
		}
	}
	for _, n := range nodePreloads {
		p, ok := pinned["docker.io/"+refs[n]]
		if !ok || !p {
			return fmt.Errorf("preload %s: not in the node's containerd or not pinned:\n%s", refs[n], out)
		}
	}
	return nil
}

// waitFor polls f until it succeeds or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, f func(context.Context) error) error {
	var last error
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		last = f(ctx)
		return last == nil, nil
	})
	if err != nil {
		return fmt.Errorf("%w (last error: %v)", err, last)
	}
	return nil
}
