package cluster

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/coalmine/coalmine/harness/addons"
)

// Report is a cluster's and its add-ons' state, as `cluster status` shows.
type Report struct {
	Cluster Status         `json:"cluster"`
	Addons  *addons.Status `json:"addons,omitempty"`
	// PrometheusInCluster and PrometheusHost are Prometheus's addresses.
	PrometheusInCluster string `json:"prometheusInCluster,omitempty"`
	PrometheusHost      string `json:"prometheusHost,omitempty"`
	// AddonsError is why the add-ons could not be inspected.
	AddonsError string `json:"addonsError,omitempty"`
}

// Healthy reports whether the cluster and every add-on are healthy.
func (r Report) Healthy() bool {
	return r.Cluster.Healthy() && r.Addons != nil && r.Addons.Healthy()
}

// Describe inspects a provider's cluster and its add-ons.
func Describe(ctx context.Context, p Provider) (Report, error) {
	st, err := p.Status(ctx)
	if err != nil {
		return Report{}, err
	}
	r := Report{Cluster: st}
	if !st.Exists || st.Problem != "" {
		return r, nil
	}
	if st.Ports != nil {
		r.PrometheusHost = st.Ports.PrometheusURL()
	}
	cfg, err := p.RESTConfig(ctx)
	if err != nil {
		r.AddonsError = err.Error()
		return r, nil
	}
	c, err := addons.NewClients(cfg)
	if err != nil {
		r.AddonsError = err.Error()
		return r, nil
	}
	as, err := addons.GetStatus(ctx, c)
	if err != nil {
		r.AddonsError = err.Error()
		return r, nil
	}
	r.Addons = &as
	if as.Prometheus.Installed {
		r.PrometheusInCluster = addons.PrometheusInClusterURL
	}
	return r, nil
}

func health(ok bool) string {
	if ok {
		return "healthy"
	}
	return "UNHEALTHY"
}

// WriteText prints the report for people.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	c := r.Cluster
	if !c.Exists {
		fmt.Fprintf(tw, "cluster\t%s/%s\tabsent\n", c.Env, c.Name)
		if c.Problem != "" {
			fmt.Fprintf(tw, "  problem\t%s\n", c.Problem)
		}
		return tw.Flush()
	}
	fmt.Fprintf(tw, "cluster\t%s/%s\t%s\n", c.Env, c.Name, health(c.Healthy()))
	if c.Problem != "" {
		fmt.Fprintf(tw, "  problem\t%s\n", c.Problem)
	}
	if c.Context != "" {
		fmt.Fprintf(tw, "  context\t%s\n", strings.TrimSpace(c.Context+"\t"+c.APIServer))
	}
	if c.Kubernetes != "" {
		fmt.Fprintf(tw, "  kubernetes\t%s\n", c.Kubernetes)
	}
	if c.NodeImage != "" {
		fmt.Fprintf(tw, "  node image\t%s\n", c.NodeImage)
	}
	for _, n := range c.Nodes {
		state := "NotReady"
		if n.Ready {
			state = "Ready"
		}
		extra := []string{}
		if n.Kubelet != "" {
			extra = append(extra, "kubelet "+n.Kubelet)
		}
		if n.Container != "" {
			extra = append(extra, "container "+n.Container)
		}
		fmt.Fprintf(tw, "  node\t%s\t%s\t%s\n", n.Name, state, strings.Join(extra, ", "))
	}
	if c.Ports != nil {
		fmt.Fprintf(tw, "  ports\t%s\n", portsText(*c.Ports))
	}
	if r.AddonsError != "" {
		fmt.Fprintf(tw, "add-ons\tunknown\t%s\n", r.AddonsError)
	}
	if a := r.Addons; a != nil {
		writeComponent(tw, "argo-rollouts", a.ArgoRollouts, "")
		host := ""
		if r.PrometheusHost != "" {
			host = "host " + r.PrometheusHost
		}
		writeComponent(tw, "prometheus", a.Prometheus, host)
		writeComponent(tw, "coredns", a.CoreDNS, "")
	}
	return tw.Flush()
}

func writeComponent(tw io.Writer, name string, s addons.ComponentStatus, extra string) {
	if !s.Installed {
		if s.Detail == "" {
			fmt.Fprintf(tw, "%s\tabsent\n", name)
		} else {
			fmt.Fprintf(tw, "%s\tabsent\t%s\n", name, s.Detail)
		}
		return
	}
	details := []string{}
	for _, d := range []string{s.Image, s.URL, extra, s.Detail} {
		if d != "" {
			details = append(details, d)
		}
	}
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, health(s.Healthy), s.Version, strings.Join(details, "; "))
}

// portsText renders the layout: "prometheus 127.0.0.1:30090→30090;
// entries 127.0.0.1:30080-30087→30080-30087".
func portsText(p Ports) string {
	var parts []string
	if p.Prometheus.HostPort != 0 {
		parts = append(parts, fmt.Sprintf("prometheus 127.0.0.1:%d→%d", p.Prometheus.HostPort, p.Prometheus.NodePort))
	}
	if n := len(p.Entries); n > 0 {
		first, last := p.Entries[0], p.Entries[n-1]
		contiguous := true
		for i, e := range p.Entries {
			if e.HostPort != first.HostPort+int32(i) || e.NodePort != first.NodePort+int32(i) {
				contiguous = false
			}
		}
		if contiguous && n > 1 {
			parts = append(parts, fmt.Sprintf("entries 127.0.0.1:%d-%d→%d-%d", first.HostPort, last.HostPort, first.NodePort, last.NodePort))
		} else {
			var es []string
			for _, e := range p.Entries {
				es = append(es, fmt.Sprintf("%d→%d", e.HostPort, e.NodePort))
			}
			parts = append(parts, "entries 127.0.0.1:"+strings.Join(es, ","))
		}
	}
	return strings.Join(parts, "; ")
}
