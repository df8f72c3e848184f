package cluster

import (
	"fmt"
	"slices"

	"github.com/coalmine/coalmine/harness/addons"
)

// Default port layout of a kind cluster: NodePorts on the node, published
// on the same port numbers of 127.0.0.1 unless asked otherwise.
const (
	DefaultEntryNodePort = 30080
	DefaultEntryCount    = 8
)

// PortMapping is a NodePort published on a host port of 127.0.0.1.
type PortMapping struct {
	NodePort int32 `json:"nodePort"`
	HostPort int32 `json:"hostPort"`
}

// URL is the host-side address of the mapping.
func (m PortMapping) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", m.HostPort) }

// Ports is the host port layout of a cluster. The zero value means none
// (an existing cluster): reach Prometheus through the API server proxy.
type Ports struct {
	// Prometheus is the NodePort of Service coalmine-system/prometheus-host.
	Prometheus PortMapping `json:"prometheus"`
	// Entries are traffic-entry NodePorts. The run engine gives each
	// strategy namespace its own NodePort Service on Entries[i].NodePort
	// and sends load to Entries[i].URL().
	Entries []PortMapping `json:"entries"`
}

// PortOptions choose host ports; zero fields take the defaults.
type PortOptions struct {
	PrometheusHostPort int32
	// EntryHostPort is the host port of the first entry; the rest follow.
	EntryHostPort int32
	EntryCount    int
}

// NewPorts lays out the ports.
func NewPorts(o PortOptions) Ports {
	if o.PrometheusHostPort == 0 {
		o.PrometheusHostPort = addons.DefaultPrometheusNodePort
	}
	if o.EntryHostPort == 0 {
		o.EntryHostPort = DefaultEntryNodePort
	}
	if o.EntryCount == 0 {
		o.EntryCount = DefaultEntryCount
	}
	p := Ports{Prometheus: PortMapping{NodePort: addons.DefaultPrometheusNodePort, HostPort: o.PrometheusHostPort}}
	for i := range o.EntryCount {
		p.Entries = append(p.Entries, PortMapping{NodePort: DefaultEntryNodePort + int32(i), HostPort: o.EntryHostPort + int32(i)})
	}
	return p
}

// Validate reports overlapping or out-of-range ports.
func (p Ports) Validate() error {
	seenNode := map[int32]bool{}
	seenHost := map[int32]bool{}
	for _, m := range p.all() {
		if m.NodePort < 30000 || m.NodePort > 32767 {
			return fmt.Errorf("node port %d is outside the NodePort range 30000-32767", m.NodePort)
		}
		if m.HostPort < 1 || m.HostPort > 65535 {
			return fmt.Errorf("host port %d is out of range", m.HostPort)
		}
		if seenNode[m.NodePort] || seenHost[m.HostPort] {
			return fmt.Errorf("port %d/%d used twice", m.NodePort, m.HostPort)
		}
		seenNode[m.NodePort], seenHost[m.HostPort] = true, true
	}
	return nil
}

func (p Ports) all() []PortMapping {
	if p.Prometheus.NodePort == 0 {
		return p.Entries
	}
	return append([]PortMapping{p.Prometheus}, p.Entries...)
}

// HostPorts lists every host port, sorted.
func (p Ports) HostPorts() []int {
	var out []int
	for _, m := range p.all() {
		out = append(out, int(m.HostPort))
	}
	slices.Sort(out)
	return out
}

// PrometheusURL is Prometheus on the host ("" without a mapping).
func (p Ports) PrometheusURL() string {
	if p.Prometheus.HostPort == 0 {
		return ""
	}
	return p.Prometheus.URL()
}

// Equal reports whether two layouts are the same.
func (p Ports) Equal(q Ports) bool {
	return p.Prometheus == q.Prometheus && slices.Equal(p.Entries, q.Entries)
}
