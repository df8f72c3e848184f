package cluster

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/golden"

	toml "github.com/pelletier/go-toml"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

var update = flag.Bool("update", false, "rewrite golden files")

func upstreamSet(t *testing.T) images.Set {
	t.Helper()
	s, err := ImagesFor(images.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKindConfigGolden(t *testing.T) {
	tests := []struct {
		name    string
		set     images.Set
		wrapper bool
		ports   Ports
	}{
		{"kind-local-wrapper.yaml", images.LocalSet(), true, NewPorts(PortOptions{})},
		{"kind-local.yaml", images.LocalSet(), false, NewPorts(PortOptions{})},
		{"kind-upstream-ports.yaml", upstreamSet(t), false, NewPorts(PortOptions{PrometheusHostPort: 9090, EntryHostPort: 18080, EntryCount: 2})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := KindConfig(KindConfigOptions{Name: "coalmine", Images: tc.set, Ports: tc.ports, StateDir: "/state", RuncWrapper: tc.wrapper})
			if err != nil {
				t.Fatal(err)
			}
			out, err := MarshalKindConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.name), out, *update)

			var back v1alpha4.Cluster
			if err := yaml.UnmarshalStrict(out, &back); err != nil {
				t.Fatalf("config does not decode strictly as v1alpha4: %v", err)
			}
			checkKindConfig(t, &back, tc.set, tc.wrapper, tc.ports)
		})
	}
}

func checkKindConfig(t *testing.T, c *v1alpha4.Cluster, set images.Set, wrapper bool, ports Ports) {
	t.Helper()
	if c.Networking.APIServerAddress != "127.0.0.1" || c.Networking.KubeProxyMode != v1alpha4.NFTablesProxyMode {
		t.Errorf("networking = %+v", c.Networking)
	}
	if len(c.Nodes) != 1 || c.Nodes[0].Image != set.Node {
		t.Fatalf("nodes = %+v", c.Nodes)
	}
	n := c.Nodes[0]
	if len(n.ExtraPortMappings) != 1+len(ports.Entries) {
		t.Errorf("%d port mappings", len(n.ExtraPortMappings))
	}
	for _, m := range n.ExtraPortMappings {
		if m.ListenAddress != "127.0.0.1" {
			t.Errorf("mapping %+v not on 127.0.0.1", m)
		}
	}
	mounts := map[string]string{}
	for _, m := range n.ExtraMounts {
		mounts[m.ContainerPath] = m.HostPath
		if !m.Readonly {
			t.Errorf("mount %s writable", m.ContainerPath)
		}
	}
	local := set.Source == images.Local
	if c.Networking.DisableDefaultCNI != local || (mounts[CNIConfPath] != "") != local {
		t.Errorf("local=%v but disableDefaultCNI=%v, cni mount %q", local, c.Networking.DisableDefaultCNI, mounts[CNIConfPath])
	}
	if (mounts[doctor.WrapperPath] != "") != wrapper {
		t.Errorf("wrapper mount = %q, want present=%v", mounts[doctor.WrapperPath], wrapper)
	}
	merged := map[string]any{}
	for _, p := range c.ContainerdConfigPatches {
		tree, err := toml.Load(p)
		if err != nil {
			t.Fatalf("containerd patch is not TOML: %v\n%s", err, p)
		}
		mergeMaps(merged, tree.ToMap())
	}
	cri, _ := dig(merged, "plugins", "io.containerd.grpc.v1.cri").(map[string]any)
	if got, want := cri["sandbox_image"], map[bool]any{true: images.PauseRef(), false: nil}[local]; got != want {
		t.Errorf("sandbox_image = %v, want %v", got, want)
	}
	if got := cri["restrict_oom_score_adj"]; (got == true) != wrapper {
		t.Errorf("restrict_oom_score_adj = %v with wrapper=%v", got, wrapper)
	}
	bin := dig(merged, "plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes", "runc", "options", "BinaryName")
	if (bin == doctor.WrapperPath) != wrapper {
		t.Errorf("runc BinaryName = %v with wrapper=%v", bin, wrapper)
	}
	kubeadm := strings.Join(c.KubeadmConfigPatches, "---\n")
	if strings.Contains(kubeadm, "imageRepository: "+images.Repository) != local {
		t.Errorf("kubeadm patches %q, local=%v", kubeadm, local)
	}
}

func mergeMaps(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			dm, ok := dst[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
				dst[k] = dm
			}
			mergeMaps(dm, sm)
			continue
		}
		dst[k] = v
	}
}

func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func TestKindConfigRejects(t *testing.T) {
	bad := NewPorts(PortOptions{})
	bad.Entries[1].HostPort = bad.Entries[0].HostPort
	tests := []struct {
		name string
		o    KindConfigOptions
	}{
		{"duplicate host port", KindConfigOptions{Images: images.LocalSet(), Ports: bad}},
		{"no node image", KindConfigOptions{Ports: NewPorts(PortOptions{})}},
		{"node port out of range", KindConfigOptions{Images: images.LocalSet(), Ports: Ports{Entries: []PortMapping{{NodePort: 80, HostPort: 80}}}}},
	}
	for _, tc := range tests {
		if _, err := KindConfig(tc.o); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestBridgeCNI(t *testing.T) {
	b, err := BridgeCNI()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "10-coalmine.conflist"), b, *update)
	var conf struct {
		Plugins []map[string]any `json:"plugins"`
	}
	if err := json.Unmarshal(b, &conf); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, p := range conf.Plugins {
		types = append(types, p["type"].(string))
	}
	if strings.Join(types, ",") != "bridge,portmap" {
		t.Errorf("plugins %v", types)
	}
	if !strings.Contains(string(b), NodePodSubnet) {
		t.Errorf("subnet %s missing", NodePodSubnet)
	}
}
