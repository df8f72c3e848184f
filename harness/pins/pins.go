package pins

// Kubernetes and the images kubeadm expects for it.
const (
	Kubernetes = "v1.34.3"
	// KubernetesStaging is the version of the k8s.io/* staging modules that
	// match Kubernetes.
	KubernetesStaging = "v0.34.3"
	Etcd              = "3.6.5-0"
	EtcdModule        = "v3.6.5"
	Pause             = "3.10.1"
	CoreDNS           = "v1.12.1"
	// Kind is the sigs.k8s.io/kind library version in go.mod; the node image
	// base files come from the same module version.
	Kind = "v0.30.0"
	// CriTools is the sigs.k8s.io/cri-tools version whose crictl the locally
	// built node image carries (kind's node images ship crictl).
	CriTools = "v1.34.0"
	// DebianSuite is the Debian release the locally built node and
	// kube-proxy images are bootstrapped from (kind's base image's suite).
	DebianSuite = "bookworm"
	// KindNodeUpstream is the published node image used with --images upstream.
	KindNodeUpstream = "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a"
)

// Add-ons.
const (
	ArgoRollouts = "v1.10.1"
	// PrometheusModule is the github.com/prometheus/prometheus module version
	// built for --images local; Prometheus is the release it corresponds to.
	PrometheusModule = "v0.313.5"
	Prometheus       = "v3.13.5"
)
