package cluster

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/coalmine/coalmine/internal/golden"

	"github.com/coalmine/coalmine/harness/addons"
)

func sampleReport() Report {
	ports := NewPorts(PortOptions{})
	return Report{
		Cluster: Status{
			Env: EnvKind, Name: "coalmine", Exists: true, Context: "kind-coalmine", APIServer: "https://127.0.0.1:41234",
			Kubernetes: "v1.34.3", NodeImage: "coalmine/node:v1.34.3",
			Nodes: []NodeStatus{{Name: "coalmine-control-plane", Ready: true, Kubelet: "v1.34.3", Container: "running"}},
			Ports: &ports,
		},
		Addons: &addons.Status{
			ArgoRollouts: addons.ComponentStatus{Installed: true, Healthy: true, Image: "coalmine/argo-rollouts:v1.10.1", Version: "v1.10.1", Detail: "namespace argo-rollouts"},
			Prometheus: addons.ComponentStatus{Installed: true, Healthy: true, Image: "coalmine/prometheus:v3.13.5", Version: "v3.13.5",
				URL: addons.PrometheusInClusterURL, Detail: "targets up: argo-rollouts 1/1, faultapp 2/2, prometheus 1/1"},
			CoreDNS: addons.ComponentStatus{Installed: true, Healthy: true, Image: "coalmine/coredns:v1.12.1", Version: "v1.12.1", Detail: "1 ready endpoints behind kube-dns"},
		},
		PrometheusInCluster: addons.PrometheusInClusterURL,
		PrometheusHost:      ports.PrometheusURL(),
	}
}

func TestReportText(t *testing.T) {
	unhealthy := sampleReport()
	unhealthy.Cluster.Nodes[0].Ready = false
	unhealthy.Addons.Prometheus = addons.ComponentStatus{}
	tests := []struct {
		name    string
		r       Report
		healthy bool
	}{
		{"status-healthy.txt", sampleReport(), true},
		{"status-unhealthy.txt", unhealthy, false},
		{"status-absent.txt", Report{Cluster: Status{Env: EnvKind, Name: "coalmine"}}, false},
		{"status-existing-broken.txt", Report{Cluster: Status{Env: EnvExisting, Name: "prod", Exists: true, Context: "prod",
			Problem: "API server https://10.0.0.1 does not answer"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.r.Healthy() != tc.healthy {
				t.Errorf("Healthy() = %v", tc.r.Healthy())
			}
			var b bytes.Buffer
			if err := tc.r.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.name), b.Bytes(), *update)
		})
	}
}

func TestReportJSON(t *testing.T) {
	b, err := json.MarshalIndent(sampleReport(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "status-healthy.json"), append(b, '\n'), *update)
	var back Report
	if err := json.Unmarshal(b, &back); err != nil || !back.Healthy() || !back.Cluster.Ports.Equal(*sampleReport().Cluster.Ports) {
		t.Fatalf("JSON round trip: %v %+v", err, back)
	}
}

func TestPortsText(t *testing.T) {
	tests := []struct {
		p    Ports
		want string
	}{
		{NewPorts(PortOptions{}), "prometheus 127.0.0.1:30090→30090; entries 127.0.0.1:30080-30087→30080-30087"},
		{Ports{Entries: []PortMapping{{NodePort: 30080, HostPort: 8080}, {NodePort: 30081, HostPort: 9000}}}, "entries 127.0.0.1:8080→30080,9000→30081"},
		{Ports{}, ""},
	}
	for _, tc := range tests {
		if got := portsText(tc.p); got != tc.want {
			t.Errorf("portsText = %q, want %q", got, tc.want)
		}
	}
}
