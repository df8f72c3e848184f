package addons

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CoreDNS as kubeadm installs it.
const (
	CoreDNSNamespace  = "kube-system"
	CoreDNSDeployment = "coredns"
	CoreDNSService    = "kube-dns"
)

// readyDNSEndpoints counts the ready endpoints behind the kube-dns Service.
func (c *Clients) readyDNSEndpoints(ctx context.Context) (int, error) {
	slices, err := c.Kube.DiscoveryV1().EndpointSlices(CoreDNSNamespace).List(ctx, metav1.ListOptions{
		LabelSelector: discoveryv1.LabelServiceName + "=" + CoreDNSService})
	if err != nil {
		return 0, fmt.Errorf("list %s endpoints: %w", CoreDNSService, err)
	}
	n := 0
	for _, s := range slices.Items {
		for _, e := range s.Endpoints {
			if e.Conditions.Ready == nil || *e.Conditions.Ready {
				n++
			}
		}
	}
	return n, nil
}

// WaitCoreDNS waits until the CoreDNS Deployment is rolled out and the
// kube-dns Service has ready endpoints.
func WaitCoreDNS(ctx context.Context, c *Clients, timeout time.Duration) error {
	start := time.Now()
	if err := WaitDeployment(ctx, c.Kube, CoreDNSNamespace, CoreDNSDeployment, timeout); err != nil {
		return fmt.Errorf("coredns: %w", err)
	}
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout-time.Since(start), true, func(ctx context.Context) (bool, error) {
		n, err := c.readyDNSEndpoints(ctx)
		return err == nil && n > 0, nil
	})
	if err != nil {
		return fmt.Errorf("coredns: service %s/%s has no ready endpoints: %w", CoreDNSNamespace, CoreDNSService, err)
	}
	return nil
}

// WaitDNSResolves waits until Prometheus has scraped itself through its
// Service DNS name (up{job="prometheus"} == 1): proof that a Service name
// resolves inside the cluster, as an AnalysisTemplate's address must.
func WaitDNSResolves(ctx context.Context, c *Clients, timeout time.Duration) error {
	prom := c.Prometheus()
	q := fmt.Sprintf(`up{job=%q}`, JobPrometheus)
	var last string
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		s, err := prom.Query(ctx, q)
		switch {
		case err != nil:
			last = err.Error()
		case len(s) == 0:
			last = "no scrape yet"
		case s[0].Value != 1:
			last = PrometheusDNSName + " did not answer (up=0): DNS or Service broken"
		default:
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("in-cluster DNS: %s: %w", last, err)
	}
	return nil
}
