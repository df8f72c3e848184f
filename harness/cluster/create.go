package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	kindexec "sigs.k8s.io/kind/pkg/exec"
)

// cancelGrace bounds how long a cancelled create is waited for; kind's
// Create has no context, so it is stopped by deleting its nodes under it.
const cancelGrace = 30 * time.Second

// createWithContext runs kind's Create (which takes no context) so that
// cancelling ctx deletes the half-created cluster: the nodes are deleted
// every second until Create gives up, then once more.
//
// Meanwhile, images are loaded into the node as soon as kubeadm has
// written the control-plane manifests (kind restarts containerd before
// that), overlapping the wait for the API server.
func (k *Kind) createWithContext(ctx context.Context, cfg *v1alpha4.Cluster) error {
	lctx, lcancel := context.WithCancel(ctx)
	defer lcancel()
	preloaded := make(chan error, 1)
	go func() { preloaded <- k.preload(lctx) }()
	done := make(chan error, 1)
	go func() {
		done <- k.kp.Create(k.o.Name,
			kindcluster.CreateWithV1Alpha4Config(cfg),
			kindcluster.CreateWithKubeconfigPath(k.o.KubeconfigPath),
			kindcluster.CreateWithWaitForReady(0), // waitReady watches instead
			kindcluster.CreateWithDisplayUsage(false),
			kindcluster.CreateWithDisplaySalutation(false),
		)
	}()
	select {
	case err := <-done:
		if err != nil {
			lcancel()
			<-preloaded
			return explainCreate(k.o.Name, err)
		}
		if err := <-preloaded; err != nil {
			k.o.Logger.Debug("early image load failed; loading after create", "err", err)
		}
		return nil
	case <-ctx.Done():
	}
	lcancel()
	k.progress("interrupted: deleting the half-created kind cluster %s", k.o.Name)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	grace := time.NewTimer(cancelGrace)
	defer grace.Stop()
	var derr error
	for {
		derr = k.kp.Delete(k.o.Name, k.o.KubeconfigPath)
		select {
		case <-done:
			derr = k.kp.Delete(k.o.Name, k.o.KubeconfigPath)
			return errors.Join(fmt.Errorf("create kind cluster %s: %w", k.o.Name, ctx.Err()), derr)
		case <-grace.C:
			return errors.Join(fmt.Errorf("create kind cluster %s: %w (kind still busy after %s)", k.o.Name, ctx.Err(), cancelGrace), derr)
		case <-tick.C:
		}
	}
}

// apiServerManifest appears once kubeadm init is writing static pods.
const apiServerManifest = "/etc/kubernetes/manifests/kube-apiserver.yaml"

// preload waits until kubeadm init has begun in the node, then loads the
// images. Create's own outcome decides; a failed preload is retried by
// create's loadImages.
func (k *Kind) preload(ctx context.Context) error {
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, 2*time.Minute, true, func(context.Context) (bool, error) {
		nodes, err := k.kp.ListInternalNodes(k.o.Name)
		if err != nil || len(nodes) == 0 {
			return false, nil
		}
		return nodes[0].CommandContext(ctx, "test", "-e", apiServerManifest).Run() == nil, nil
	})
	if err != nil {
		return err
	}
	return k.loadImages(ctx)
}

// explainCreate adds the tail of the failed command's output to kind's
// error, and the remedy for the capability failure.
func explainCreate(name string, err error) error {
	msg := ""
	if re := kindexec.RunErrorForError(err); re != nil {
		lines := strings.Split(strings.TrimSpace(string(re.Output)), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		msg = "\n" + strings.Join(lines, "\n")
		if strings.Contains(string(re.Output), "unable to apply caps") {
			msg += "\nhint: this Docker engine cannot start privileged containers; run `coalmine doctor --fix`"
		}
	}
	return fmt.Errorf("create kind cluster %s: %w%s", name, err, msg)
}
