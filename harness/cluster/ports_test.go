package cluster

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestNewPorts(t *testing.T) {
	tests := []struct {
		name      string
		o         PortOptions
		promHost  int32
		entryHost []int32
	}{
		{"defaults", PortOptions{}, 30090, []int32{30080, 30081, 30082, 30083, 30084, 30085, 30086, 30087}},
		{"moved", PortOptions{PrometheusHostPort: 19090, EntryHostPort: 18000, EntryCount: 3}, 19090, []int32{18000, 18001, 18002}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPorts(tc.o)
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			if p.Prometheus.HostPort != tc.promHost || p.Prometheus.NodePort != 30090 {
				t.Errorf("prometheus %+v", p.Prometheus)
			}
			var hosts []int32
			for i, e := range p.Entries {
				hosts = append(hosts, e.HostPort)
				if e.NodePort != DefaultEntryNodePort+int32(i) {
					t.Errorf("entry %d node port %d", i, e.NodePort)
				}
			}
			if !slices.Equal(hosts, tc.entryHost) {
				t.Errorf("entry host ports %v, want %v", hosts, tc.entryHost)
			}
			if p.PrometheusURL() != p.Prometheus.URL() || p.Entries[0].URL() != "http://127.0.0.1:"+itoa(tc.entryHost[0]) {
				t.Errorf("urls %s %s", p.PrometheusURL(), p.Entries[0].URL())
			}
		})
	}
}

func itoa(i int32) string { b, _ := json.Marshal(i); return string(b) }

func TestPortsFromBindings(t *testing.T) {
	const inspect = `{"State":{"Status":"running"},"Config":{"Image":"coalmine/node:v1.34.3"},"HostConfig":{"PortBindings":{
		"6443/tcp":[{"HostIp":"127.0.0.1","HostPort":"41234"}],
		"30090/tcp":[{"HostIp":"127.0.0.1","HostPort":"19090"}],
		"30081/tcp":[{"HostIp":"127.0.0.1","HostPort":"18001"}],
		"30080/tcp":[{"HostIp":"127.0.0.1","HostPort":"18000"}]}}}`
	var nc nodeContainer
	if err := json.Unmarshal([]byte(inspect), &nc); err != nil {
		t.Fatal(err)
	}
	got, err := portsFromBindings(nc)
	if err != nil {
		t.Fatal(err)
	}
	want := NewPorts(PortOptions{PrometheusHostPort: 19090, EntryHostPort: 18000, EntryCount: 2})
	if !got.Equal(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got.Equal(NewPorts(PortOptions{})) {
		t.Error("Equal ignores host ports")
	}
}
