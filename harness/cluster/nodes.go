package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"

	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// nodeReady reports whether a node's Ready condition is True.
func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// WaitNodesReady watches nodes until there is at least one and all are Ready.
func WaitNodesReady(ctx context.Context, kube kubernetes.Interface, timeout time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) { return kube.CoreV1().Nodes().List(wctx, o) },
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			return kube.CoreV1().Nodes().Watch(wctx, o)
		},
	}
	ready := map[string]bool{}
	_, err := watchtools.UntilWithSync(wctx, lw, &corev1.Node{}, nil, func(ev watch.Event) (bool, error) {
		n, ok := ev.Object.(*corev1.Node)
		if !ok {
			return false, nil
		}
		if ev.Type == watch.Deleted {
			delete(ready, n.Name)
		} else {
			ready[n.Name] = nodeReady(n)
		}
		for _, r := range ready {
			if !r {
				return false, nil
			}
		}
		return len(ready) > 0, nil
	})
	if err != nil {
		var not []string
		for n, r := range ready {
			if !r {
				not = append(not, n)
			}
		}
		return fmt.Errorf("nodes not Ready within %s (%s): %w", timeout, strings.Join(not, ", "), err)
	}
	return nil
}

// clientset is a Kubernetes client of the cluster.
func (k *Kind) clientset(ctx context.Context) (kubernetes.Interface, error) {
	cfg, err := k.RESTConfig(ctx)
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(cfg)
}

func (k *Kind) waitReady(ctx context.Context) error {
	start := time.Now()
	kube, err := k.clientset(ctx)
	if err != nil {
		return err
	}
	if err := WaitNodesReady(ctx, kube, k.o.Timeout); err != nil {
		return fmt.Errorf("kind cluster %s: %w", k.o.Name, err)
	}
	k.progress("node Ready (%s)", since(start))
	return nil
}

// WaitServicesRouted waits until the API server answers on the kubernetes
// Service's ClusterIP from inside the node, with the cluster CA: kube-proxy
// has programmed Services. A pod started before that (the Argo Rollouts
// controller) reaches whatever the node's default route leads to, fails
// TLS verification and exits, and its restarts make the add-ons flap.
// Bringup hands it to the add-on install for a new cluster.
func (k *Kind) WaitServicesRouted(ctx context.Context) error {
	start := time.Now()
	kube, err := k.clientset(ctx)
	if err != nil {
		return err
	}
	svc, err := kube.CoreV1().Services(metav1.NamespaceDefault).Get(ctx, "kubernetes", metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("kind cluster %s: %w", k.o.Name, err)
	}
	nodes, err := k.kp.ListInternalNodes(k.o.Name)
	if err != nil || len(nodes) == 0 {
		return fmt.Errorf("kind cluster %s: no nodes: %w", k.o.Name, err)
	}
	url := "https://" + svc.Spec.ClusterIP + "/healthz"
	var last string
	err = wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, k.o.Timeout, true, func(context.Context) (bool, error) {
		var out strings.Builder
		cmd := nodes[0].CommandContext(ctx, "curl", "-sS", "--max-time", "2", "--cacert", "/etc/kubernetes/pki/ca.crt", url)
		cmd.SetStdout(&out)
		cmd.SetStderr(&out)
		err := cmd.Run()
		last = strings.TrimSpace(out.String())
		return err == nil && last == "ok", nil
	})
	if err != nil {
		return fmt.Errorf("kind cluster %s: the API server does not answer on its Service IP (%s) within %s: %s",
			k.o.Name, url, k.o.Timeout, last)
	}
	k.progress("services routed: API server answers on %s (%s)", svc.Spec.ClusterIP, since(start))
	return nil
}

// clusterImages are the images loaded into the node: everything the
// cluster runs that a node cannot pull (local add-ons; faultapp always).
func clusterImages(set images.Set) []string {
	if set.Source == images.Local {
		return nonEmpty(set.ArgoRollouts, set.Prometheus, set.Faultapp)
	}
	return nonEmpty(set.Faultapp)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// checkImagesPresent fails, naming the build command, when an image the
// cluster needs locally is missing.
func checkImagesPresent(ctx context.Context, d doctor.Docker, set images.Set) error {
	refs := clusterImages(set)
	if set.Source == images.Local {
		refs = append([]string{set.Node}, refs...)
	}
	var missing []string
	for _, r := range refs {
		id, err := d.ImageID(ctx, r)
		if err != nil {
			return err
		}
		if id == "" {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("images missing from the local Docker engine: %s; build them with `coalmine images build`",
			strings.Join(missing, ", "))
	}
	return nil
}

// loadImages copies images into the node (docker save | ctr import, as
// kind load docker-image does), skipping those already there with the
// same ID.
func (k *Kind) loadImages(ctx context.Context) error {
	nodes, err := k.kp.ListInternalNodes(k.o.Name)
	if err != nil || len(nodes) == 0 {
		return fmt.Errorf("kind cluster %s: no nodes to load images into: %w", k.o.Name, err)
	}
	start := time.Now()
	var need []string
	for _, ref := range clusterImages(k.o.Images) {
		id, err := k.o.Docker.ImageID(ctx, ref)
		if err != nil {
			return err
		}
		if id == "" {
			return fmt.Errorf("image %s is not in the local Docker engine; build it with `coalmine images build`", ref)
		}
		for _, n := range nodes {
			if got, err := nodeutils.ImageID(n, ref); err != nil || got != id {
				need = append(need, ref)
				break
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	k.progress("loading images into the node: %s", strings.Join(need, ", "))
	for _, n := range nodes {
		err := k.o.Docker.Stream(ctx, func(r io.Reader) error { return nodeutils.LoadImageArchive(n, r) }, append([]string{"save"}, need...)...)
		if err != nil {
			return fmt.Errorf("load images into %s: %w", n, err)
		}
	}
	if ctx.Err() != nil {
		return errors.Join(errors.New("load images"), ctx.Err())
	}
	k.progress("images loaded (%s)", since(start))
	return nil
}
