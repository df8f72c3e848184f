package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"

	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// DefaultName is the kind cluster's name unless told otherwise.
const DefaultName = "coalmine"

// KindOptions configure the kind provider.
type KindOptions struct {
	// Name of the cluster; DefaultName when empty.
	Name   string
	Images images.Set
	// Ports of a new cluster; nil means NewPorts(PortOptions{}). An
	// existing cluster keeps its ports, and Up fails if a non-nil Ports
	// differs from them.
	Ports *Ports
	// StateDir holds the files mounted into the node; by default
	// <user cache dir>/coalmine/clusters/<name>. Down removes it.
	StateDir string
	// KubeconfigPath receives the cluster's kubeconfig; kind's default
	// ($KUBECONFIG or ~/.kube/config, context kind-<name>) when empty.
	KubeconfigPath string
	Docker         doctor.Docker
	// HostRoot is the host file system root for doctor's checks ("/").
	HostRoot string
	// Timeout bounds the wait for Ready nodes; 3 minutes when zero.
	Timeout  time.Duration
	Logger   *slog.Logger
	Progress func(string)
}

// Kind is the kind Provider.
type Kind struct {
	o     KindOptions
	kp    *kindcluster.Provider
	ports Ports
}

var _ Provider = (*Kind)(nil)

// NewKind returns the kind provider (Docker node provider).
func NewKind(o KindOptions) (*Kind, error) {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HostRoot == "" {
		o.HostRoot = "/"
	}
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Minute
	}
	if o.StateDir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("kind state dir: %w", err)
		}
		o.StateDir = filepath.Join(cache, "coalmine", "clusters", o.Name)
	}
	k := &Kind{o: o, kp: kindcluster.NewProvider(kindcluster.ProviderWithDocker(), kindcluster.ProviderWithLogger(kindLogger{o.Logger}))}
	if o.Ports != nil {
		k.ports = *o.Ports
	} else {
		k.ports = NewPorts(PortOptions{})
	}
	return k, nil
}

// Env implements Provider.
func (k *Kind) Env() string { return EnvKind }

// Name implements Provider.
func (k *Kind) Name() string { return k.o.Name }

// Ports implements Provider: the requested layout, or the running
// cluster's after Up or Status.
func (k *Kind) Ports() Ports { return k.ports }

// Context is the kubeconfig context kind writes.
func (k *Kind) Context() string { return "kind-" + k.o.Name }

func (k *Kind) progress(format string, args ...any) {
	if k.o.Progress != nil {
		k.o.Progress(fmt.Sprintf(format, args...))
	}
}

// Kubeconfig implements Provider (the external, 127.0.0.1 address).
func (k *Kind) Kubeconfig(ctx context.Context) ([]byte, error) {
	s, err := k.kp.KubeConfig(k.o.Name, false)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig of kind cluster %s: %w", k.o.Name, err)
	}
	return []byte(s), nil
}

// RESTConfig implements Provider.
func (k *Kind) RESTConfig(ctx context.Context) (*rest.Config, error) {
	kc, err := k.Kubeconfig(ctx)
	if err != nil {
		return nil, err
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig of kind cluster %s: %w", k.o.Name, err)
	}
	return cfg, nil
}

// Up implements Provider: reuse a healthy cluster (refreshing the images
// loaded into it), replace a broken one, or create one. If ctx ends while
// creating, the half-made cluster is deleted.
func (k *Kind) Up(ctx context.Context) (bool, error) {
	st, err := k.Status(ctx)
	if err != nil {
		return false, err
	}
	if st.Exists {
		if k.o.Ports != nil && st.Ports != nil && !st.Ports.Equal(*k.o.Ports) {
			return false, fmt.Errorf("kind cluster %s exists with other host ports (%v); run `coalmine cluster down --name %s` first",
				k.o.Name, st.Ports.HostPorts(), k.o.Name)
		}
		if !st.Healthy() && !st.Stopped {
			k.progress("kind cluster %s exists but is not ready (%s): waiting for it", k.o.Name, problemOf(st))
			if st, err = k.waitHealthy(ctx); err != nil {
				return false, err
			}
		}
		if st.Healthy() {
			k.progress("kind cluster %s exists and is healthy: reusing it%s", k.o.Name, k.imageNote(st))
			return false, k.loadImages(ctx)
		}
		if !st.Stopped {
			return false, fmt.Errorf("kind cluster %s is running but not healthy (%s); inspect it or run `coalmine cluster down --name %s`",
				k.o.Name, problemOf(st), k.o.Name)
		}
		k.progress("kind cluster %s is stopped (%s): recreating it", k.o.Name, st.Problem)
		if err := k.Down(ctx); err != nil {
			return false, err
		}
	}
	if err := k.create(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// waitHealthy polls the status of a running cluster until it is healthy
// or the timeout passes; a slow API server is not a broken one.
func (k *Kind) waitHealthy(ctx context.Context) (Status, error) {
	var st Status
	err := wait.PollUntilContextTimeout(ctx, 2*time.Second, k.o.Timeout, true, func(context.Context) (bool, error) {
		var err error
		st, err = k.Status(ctx)
		return err == nil && (st.Healthy() || st.Stopped), nil
	})
	if err != nil && ctx.Err() != nil {
		return st, err
	}
	return st, nil
}

func problemOf(st Status) string {
	if st.Problem != "" {
		return st.Problem
	}
	return "nodes not Ready"
}

// imageNote warns when a reused cluster runs another node image than asked.
func (k *Kind) imageNote(st Status) string {
	if k.o.Images.Node == "" || st.NodeImage == k.o.Images.Node {
		return ""
	}
	return fmt.Sprintf(" (node image %s, not %s: run `coalmine cluster down` first to switch)", st.NodeImage, k.o.Images.Node)
}

func (k *Kind) create(ctx context.Context) error {
	if err := checkImagesPresent(ctx, k.o.Docker, k.o.Images); err != nil {
		return err
	}
	if err := checkPortsFree(k.ports); err != nil {
		return err
	}
	caps, err := doctor.QuickCaps(ctx, k.o.Docker, k.o.HostRoot)
	if err != nil {
		return fmt.Errorf("check docker: %w", err)
	}
	if caps.Missing && !caps.DefaultRuntimeOK {
		return errors.New("privileged containers (kind nodes) fail on this Docker engine: its capability bounding set " +
			"lacks CAP_SYS_RESOURCE; run `coalmine doctor --fix` (installs a runc wrapper), then retry")
	}
	if err := k.writeState(caps.Missing); err != nil {
		return err
	}
	cfg, err := KindConfig(KindConfigOptions{Name: k.o.Name, Images: k.o.Images, Ports: k.ports, StateDir: k.o.StateDir, RuncWrapper: caps.Missing})
	if err != nil {
		return err
	}
	start := time.Now()
	k.progress("creating kind cluster %s (node image %s%s)", k.o.Name, k.o.Images.Node, wrapperNote(caps.Missing))
	if err := k.createWithContext(ctx, cfg); err != nil {
		// kind deleted the nodes (or createWithContext did): the files
		// mounted into them go too.
		return errors.Join(err, os.RemoveAll(k.o.StateDir))
	}
	k.progress("kind cluster %s created (%s)", k.o.Name, since(start))
	// A cluster that is not fully up is deleted, on failure as on Ctrl-C.
	cleanup := func(err error) error {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		return errors.Join(err, k.Down(dctx))
	}
	if err := k.loadImages(ctx); err != nil {
		return cleanup(err)
	}
	if err := k.waitReady(ctx); err != nil {
		return cleanup(err)
	}
	return nil
}

// checkPortsFree fails, naming the ports, when a host port is taken.
func checkPortsFree(p Ports) error {
	var busy []string
	for _, port := range p.HostPorts() {
		if free, err := doctor.PortFree(port); err != nil || !free {
			busy = append(busy, fmt.Sprint(port))
		}
	}
	if len(busy) > 0 {
		return fmt.Errorf("host ports in use on 127.0.0.1: %s; free them or choose others (--prometheus-port, --entry-port)",
			strings.Join(busy, ", "))
	}
	return nil
}

func wrapperNote(on bool) string {
	if on {
		return ", runc wrapper inside: this engine lacks CAP_SYS_RESOURCE"
	}
	return ""
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

// writeState writes the files the node mounts.
func (k *Kind) writeState(wrapper bool) error {
	if err := os.MkdirAll(k.o.StateDir, 0o755); err != nil {
		return fmt.Errorf("kind state dir: %w", err)
	}
	cni, err := BridgeCNI()
	if err != nil {
		return err
	}
	files := map[string][]byte{cniFile: cni}
	if wrapper {
		files[wrapperFile] = doctor.NodeWrapperScript()
	}
	for name, data := range files {
		p := filepath.Join(k.o.StateDir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		if name == wrapperFile {
			if err := os.Chmod(p, 0o755); err != nil {
				return err
			}
		}
	}
	return nil
}

// Down implements Provider: deletes the node containers (with their
// anonymous volumes) and the kubeconfig entry, removes the state
// directory, and checks that no container of the cluster is left. kind's
// shared "kind" Docker network is left in place, as kind itself does.
func (k *Kind) Down(ctx context.Context) error {
	nodes, err := k.kp.ListNodes(k.o.Name)
	if err != nil {
		return fmt.Errorf("list kind nodes: %w", err)
	}
	if len(nodes) > 0 {
		k.progress("deleting kind cluster %s", k.o.Name)
		if err := k.kp.Delete(k.o.Name, k.o.KubeconfigPath); err != nil {
			return fmt.Errorf("delete kind cluster %s: %w", k.o.Name, err)
		}
	}
	if err := os.RemoveAll(k.o.StateDir); err != nil {
		return fmt.Errorf("remove %s: %w", k.o.StateDir, err)
	}
	left, err := k.o.Docker.Run(ctx, "ps", "-a", "-q", "--filter", "label="+kindClusterLabel+"="+k.o.Name)
	if err != nil {
		return err
	}
	if ids := strings.Fields(string(left)); len(ids) > 0 {
		return fmt.Errorf("containers of kind cluster %s left after delete: %s", k.o.Name, strings.Join(ids, " "))
	}
	return nil
}

// kindClusterLabel is the label kind puts on node containers.
const kindClusterLabel = "io.x-k8s.kind.cluster"

// StateDir is the host directory of the files mounted into the node.
func (k *Kind) StateDir() string { return k.o.StateDir }
