package images

import "github.com/coalmine/coalmine/harness/pins"

// Source says where a cluster's images come from.
type Source string

// Image sources behind --images.
const (
	// Upstream images are pulled from their public registries, pinned.
	Upstream Source = "upstream"
	// Local images are built on this machine from Go module sources and
	// Debian packages (hermetic; for air-gapped machines).
	Local Source = "local"
)

// Repository is the image repository of every locally built image. The
// node image's kubeadm is configured with it as imageRepository, so the
// control-plane images preloaded into the node carry this name too
// (coalmine/kube-apiserver:v1.34.3, coalmine/pause:3.10.1, ...).
const Repository = "coalmine"

// Set is the images a coalmine cluster and its workloads run.
type Set struct {
	Source Source `json:"source"`
	// Node is the kind node image.
	Node string `json:"node"`
	// ArgoRollouts is the Argo Rollouts controller image.
	ArgoRollouts string `json:"argoRollouts"`
	// Prometheus is the Prometheus server image.
	Prometheus string `json:"prometheus"`
	// Faultapp is the sample app image; always built locally.
	Faultapp string `json:"faultapp"`
}

// LocalSet returns the refs of the locally built images.
func LocalSet() Set {
	return Set{
		Source:       Local,
		Node:         Repository + "/node:" + pins.Kubernetes,
		ArgoRollouts: Repository + "/argo-rollouts:" + pins.ArgoRollouts,
		Prometheus:   Repository + "/prometheus:" + pins.Prometheus,
		Faultapp:     Repository + "/faultapp:dev",
	}
}
