package addons

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/harness/pins"
)

// Options shape an add-on install.
type Options struct {
	// Images are the add-on images; an empty ArgoRollouts means the
	// published image at the pinned version.
	Images images.Set
	// PrometheusNodePort is the NodePort of the host-facing Prometheus
	// Service (0: none, e.g. on an existing cluster).
	PrometheusNodePort int32
	// ScrapeInterval of Prometheus. Zero means DefaultScrapeInterval for a
	// new install and "leave it as it is" for a running one.
	ScrapeInterval time.Duration
	// Existing marks a cluster coalmine does not own: an Argo Rollouts
	// controller of another version there is an error, never replaced.
	Existing bool
	// WaitServices, when set, waits until Services are routed on a new
	// cluster (kube-proxy has programmed them). The Argo Rollouts
	// controller is applied after it: started earlier it reaches an
	// unrouted Service IP, fails and restarts. Everything else proceeds
	// meanwhile.
	WaitServices func(ctx context.Context) error
	// Timeout bounds each wait; DefaultTimeout when zero.
	Timeout time.Duration
	// Progress, if set, receives one line per step.
	Progress func(string)
	Logger   *slog.Logger
}

func (o Options) timeout() time.Duration {
	if o.Timeout == 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o Options) interval() time.Duration {
	if o.ScrapeInterval == 0 {
		return DefaultScrapeInterval
	}
	return o.ScrapeInterval
}

func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// Result says what Install did for each add-on.
type Result struct {
	ArgoRollouts string `json:"argoRollouts"`
	Prometheus   string `json:"prometheus"`
	CoreDNS      string `json:"coreDNS"`
}

// Install makes the add-ons present and healthy, concurrently: CoreDNS
// checked; Argo Rollouts installed (once Services are routed) and
// Prometheus installed, each unless already running at the pinned
// version; then in-cluster DNS proven through Prometheus.
func Install(ctx context.Context, c *Clients, o Options) (Result, error) {
	var res Result
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		start := time.Now()
		if err := WaitCoreDNS(gctx, c, o.timeout()); err != nil {
			return err
		}
		res.CoreDNS = "running"
		o.progress("coredns: ready (%s)", since(start))
		return nil
	})
	g.Go(func() error {
		if o.WaitServices != nil {
			if err := o.WaitServices(gctx); err != nil {
				return err
			}
		}
		var err error
		res.ArgoRollouts, err = installArgo(gctx, c, o)
		return err
	})
	dns := ""
	g.Go(func() error {
		var err error
		if res.Prometheus, err = installPrometheus(gctx, c, o); err != nil {
			return err
		}
		start := time.Now()
		if err := WaitDNSResolves(gctx, c, o.timeout()); err != nil {
			return err
		}
		dns = ", resolves " + PrometheusDNSName
		o.progress("dns: %s resolves in-cluster (%s)", PrometheusDNSName, since(start))
		return nil
	})
	if err := g.Wait(); err != nil {
		return res, err
	}
	res.CoreDNS += dns
	return res, nil
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

func installArgo(ctx context.Context, c *Clients, o Options) (string, error) {
	start := time.Now()
	st, err := DetectArgoRollouts(ctx, c)
	if err != nil {
		return "", err
	}
	switch {
	case st.Installed() && st.Pinned() && st.Available:
		o.progress("argo-rollouts: %s already running (%s)", st.Version, st.Image)
		return "already installed", nil
	case st.Installed() && !st.Pinned() && o.Existing:
		return "", fmt.Errorf("argo rollouts %s is installed in namespace %s (image %s); coalmine needs %s "+
			"and does not replace a controller it does not own", st.Version, st.Namespace, st.Image, pins.ArgoRollouts)
	}
	image := o.Images.ArgoRollouts
	if image == "" {
		if image, err = UpstreamArgoRolloutsImage(); err != nil {
			return "", err
		}
	}
	objs, err := ArgoRolloutsObjects(image, corev1.PullIfNotPresent)
	if err != nil {
		return "", err
	}
	o.progress("argo-rollouts: applying %s (image %s)", pins.ArgoRollouts, image)
	var crds, rest []*unstructured.Unstructured
	for _, u := range objs {
		if u.GetKind() == "CustomResourceDefinition" {
			crds = append(crds, u)
		} else {
			rest = append(rest, u)
		}
	}
	if err := c.Apply(ctx, crds...); err != nil {
		return "", fmt.Errorf("argo rollouts CRDs: %w", err)
	}
	o.logger().Debug("argo rollouts CRDs applied", "took", since(start))
	if err := c.Apply(ctx, rest...); err != nil {
		return "", fmt.Errorf("argo rollouts: %w", err)
	}
	o.logger().Debug("argo rollouts controller applied", "took", since(start))
	if err := c.waitCRDsEstablished(ctx, ArgoCRDs, o.timeout()); err != nil {
		return "", fmt.Errorf("argo rollouts: %w", err)
	}
	o.logger().Debug("argo rollouts CRDs established", "took", since(start))
	if err := WaitDeployment(ctx, c.Kube, ArgoNamespace, ArgoDeployment, o.timeout()); err != nil {
		return "", fmt.Errorf("argo rollouts: %w", err)
	}
	o.progress("argo-rollouts: controller available (%s)", since(start))
	return "installed", nil
}

func installPrometheus(ctx context.Context, c *Clients, o Options) (string, error) {
	start := time.Now()
	if o.Images.Prometheus == "" {
		return "", fmt.Errorf("prometheus: no image in the image set")
	}
	objs, err := PrometheusObjects(PrometheusOptions{
		Image: o.Images.Prometheus, PullPolicy: corev1.PullIfNotPresent,
		NodePort: o.PrometheusNodePort, ScrapeInterval: o.interval(),
	})
	if err != nil {
		return "", err
	}
	action := "already installed"
	if st, err := DetectPrometheus(ctx, c); err != nil {
		return "", err
	} else if !st.Installed || st.Version != pins.Prometheus || !st.Healthy {
		action = "installed"
		o.progress("prometheus: applying %s (image %s, scrape every %s)", pins.Prometheus, o.Images.Prometheus, o.interval())
		if err := c.Apply(ctx, objs...); err != nil {
			return "", fmt.Errorf("prometheus: %w", err)
		}
		if err := WaitDeployment(ctx, c.Kube, SystemNamespace, PrometheusName, o.timeout()); err != nil {
			return "", fmt.Errorf("prometheus: %w", err)
		}
	} else {
		o.progress("prometheus: %s already running (%s)", st.Version, st.Image)
	}
	// A running Prometheus keeps its scrape interval unless one is asked for.
	if action == "installed" || o.ScrapeInterval != 0 {
		if err := SetScrapeInterval(ctx, c, o.interval(), o.timeout()); err != nil {
			return "", err
		}
	}
	o.progress("prometheus: ready at %s (%s)", PrometheusInClusterURL, since(start))
	return action, nil
}
