package addons

import (
	"context"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ComponentStatus is the state of one add-on in a cluster.
type ComponentStatus struct {
	Installed bool   `json:"installed"`
	Healthy   bool   `json:"healthy"`
	Image     string `json:"image,omitempty"`
	Version   string `json:"version,omitempty"`
	// URL is the in-cluster address, where there is one.
	URL    string `json:"url,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Status is the state of every add-on.
type Status struct {
	ArgoRollouts ComponentStatus `json:"argoRollouts"`
	Prometheus   ComponentStatus `json:"prometheus"`
	CoreDNS      ComponentStatus `json:"coreDNS"`
}

// Healthy reports whether every add-on is installed and healthy.
func (s Status) Healthy() bool {
	return s.ArgoRollouts.Healthy && s.Prometheus.Healthy && s.CoreDNS.Healthy
}

// GetStatus inspects the add-ons; it does not wait for anything.
func GetStatus(ctx context.Context, c *Clients) (Status, error) {
	var st Status
	argo, err := DetectArgoRollouts(ctx, c)
	if err != nil {
		return st, err
	}
	st.ArgoRollouts = ComponentStatus{Installed: argo.Installed(), Healthy: argo.Installed() && argo.Available,
		Image: argo.Image, Version: argo.Version}
	if argo.Installed() {
		st.ArgoRollouts.Detail = "namespace " + argo.Namespace
		if !argo.Pinned() {
			st.ArgoRollouts.Detail += "; not the pinned version"
		}
	} else if argo.CRDs {
		st.ArgoRollouts.Detail = "CRDs present, no controller"
	}
	if st.Prometheus, err = DetectPrometheus(ctx, c); err != nil {
		return st, err
	}
	if st.Prometheus.Healthy {
		st.Prometheus.Detail = targetsSummary(ctx, c)
	}
	st.CoreDNS = coreDNSStatus(ctx, c)
	return st, nil
}

// DetectPrometheus finds coalmine's Prometheus Deployment.
func DetectPrometheus(ctx context.Context, c *Clients) (ComponentStatus, error) {
	d, err := c.Kube.AppsV1().Deployments(SystemNamespace).Get(ctx, PrometheusName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return ComponentStatus{}, nil
	}
	if err != nil {
		return ComponentStatus{}, fmt.Errorf("look up prometheus: %w", err)
	}
	cs := ComponentStatus{Installed: true, Healthy: DeploymentRolledOut(d), Version: d.Labels[LabelVersion], URL: PrometheusInClusterURL}
	if len(d.Spec.Template.Spec.Containers) > 0 {
		cs.Image = d.Spec.Template.Spec.Containers[0].Image
	}
	return cs, nil
}

// targetsSummary lists scrape targets up/total per job.
func targetsSummary(ctx context.Context, c *Clients) string {
	prom := c.Prometheus()
	total, err := prom.Query(ctx, "count by (job) (up)")
	if err != nil {
		return "targets unknown: " + err.Error()
	}
	up, err := prom.Query(ctx, "sum by (job) (up)")
	if err != nil {
		return "targets unknown: " + err.Error()
	}
	upBy := map[string]float64{}
	for _, s := range up {
		upBy[s.Metric["job"]] = s.Value
	}
	var parts []string
	for _, s := range total {
		j := s.Metric["job"]
		parts = append(parts, fmt.Sprintf("%s %g/%g", j, upBy[j], s.Value))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "no targets yet"
	}
	return "targets up: " + strings.Join(parts, ", ")
}

func coreDNSStatus(ctx context.Context, c *Clients) ComponentStatus {
	d, err := c.Kube.AppsV1().Deployments(CoreDNSNamespace).Get(ctx, CoreDNSDeployment, metav1.GetOptions{})
	if err != nil {
		return ComponentStatus{Detail: err.Error()}
	}
	cs := ComponentStatus{Installed: true, Healthy: DeploymentRolledOut(d)}
	if len(d.Spec.Template.Spec.Containers) > 0 {
		cs.Image = d.Spec.Template.Spec.Containers[0].Image
		cs.Version = imageTag(cs.Image)
	}
	n, err := c.readyDNSEndpoints(ctx)
	if err != nil {
		cs.Detail = err.Error()
		return cs
	}
	cs.Detail = fmt.Sprintf("%d ready endpoints behind %s", n, CoreDNSService)
	cs.Healthy = cs.Healthy && n > 0
	return cs
}
