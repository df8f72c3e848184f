package cluster

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// Networking of a coalmine kind cluster.
const (
	PodSubnet = "10.244.0.0/16"
	// NodePodSubnet is the single node's pod range (the controller
	// manager's first /24 of PodSubnet), served by the bridge CNI.
	NodePodSubnet = "10.244.0.0/24"
	// CNIConfPath is where the bridge conflist is mounted in the node.
	CNIConfPath = "/etc/cni/net.d/10-coalmine.conflist"
)

// State files on the host, mounted into the node.
const (
	cniFile     = "10-coalmine.conflist"
	wrapperFile = "runc-wrapper"
)

// KindConfigOptions are the inputs of the generated kind configuration.
type KindConfigOptions struct {
	Name   string
	Images images.Set
	Ports  Ports
	// StateDir is the host directory holding the files mounted into the
	// node (CNI conflist, runc wrapper).
	StateDir string
	// RuncWrapper is set where the engine's capability bounding set lacks
	// CAP_SYS_RESOURCE (doctor's finding): the node then runs every
	// container through the wrapper and restricts oom_score_adj.
	RuncWrapper bool
}

// BridgeCNI renders the node's CNI conflist: a bridge with host-local IPAM
// and portmap. containerd brings up loopback itself with the loopback
// plugin from the same plugin directory.
func BridgeCNI() ([]byte, error) {
	conf := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "coalmine",
		"plugins": []any{
			map[string]any{
				"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": [][]map[string]string{{{"subnet": NodePodSubnet}}},
					"routes": []map[string]string{{"dst": "0.0.0.0/0"}},
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	b, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// containerd configuration patches (config version 2, as in kind's base).
const (
	criTable         = `[plugins."io.containerd.grpc.v1.cri"]`
	runcOptionsTable = `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]`
)

// KindConfig builds the v1alpha4 cluster configuration: one control-plane
// node from the image set, API server and every port mapping on 127.0.0.1,
// nftables kube-proxy. With local images the default CNI (kindnetd, an
// image that is not built locally) is replaced by the bridge conflist and
// kubeadm/containerd are pointed at images.Repository.
func KindConfig(o KindConfigOptions) (*v1alpha4.Cluster, error) {
	if err := o.Ports.Validate(); err != nil {
		return nil, err
	}
	if o.Images.Node == "" {
		return nil, fmt.Errorf("kind config: no node image")
	}
	node := v1alpha4.Node{Role: v1alpha4.ControlPlaneRole, Image: o.Images.Node}
	for _, m := range o.Ports.all() {
		node.ExtraPortMappings = append(node.ExtraPortMappings, v1alpha4.PortMapping{
			ContainerPort: m.NodePort, HostPort: m.HostPort, ListenAddress: "127.0.0.1", Protocol: v1alpha4.PortMappingProtocolTCP,
		})
	}
	c := &v1alpha4.Cluster{
		TypeMeta: v1alpha4.TypeMeta{Kind: "Cluster", APIVersion: "kind.x-k8s.io/v1alpha4"},
		Name:     o.Name,
		Networking: v1alpha4.Networking{
			IPFamily:         v1alpha4.IPv4Family,
			APIServerAddress: "127.0.0.1",
			PodSubnet:        PodSubnet,
			KubeProxyMode:    v1alpha4.NFTablesProxyMode,
		},
	}
	if o.Images.Source == images.Local {
		c.Networking.DisableDefaultCNI = true
		node.ExtraMounts = append(node.ExtraMounts, v1alpha4.Mount{
			HostPath: filepath.Join(o.StateDir, cniFile), ContainerPath: CNIConfPath, Readonly: true})
		c.KubeadmConfigPatches = append(c.KubeadmConfigPatches,
			"kind: ClusterConfiguration\nimageRepository: "+images.Repository+"\n")
		c.ContainerdConfigPatches = append(c.ContainerdConfigPatches,
			fmt.Sprintf("%s\n  sandbox_image = %q\n", criTable, images.PauseRef()))
	}
	if o.RuncWrapper {
		node.ExtraMounts = append(node.ExtraMounts, v1alpha4.Mount{
			HostPath: filepath.Join(o.StateDir, wrapperFile), ContainerPath: doctor.WrapperPath, Readonly: true})
		c.ContainerdConfigPatches = append(c.ContainerdConfigPatches,
			criTable+"\n  restrict_oom_score_adj = true\n",
			fmt.Sprintf("%s\n  BinaryName = %q\n", runcOptionsTable, doctor.WrapperPath))
	}
	c.Nodes = []v1alpha4.Node{node}
	return c, nil
}

// MarshalKindConfig renders a configuration as YAML (what `kind create
// cluster --config` would read).
func MarshalKindConfig(c *v1alpha4.Cluster) ([]byte, error) {
	b, err := yaml.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("render kind config: %w", err)
	}
	return b, nil
}
