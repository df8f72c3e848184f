package images

import "github.com/coalmine/coalmine/harness/pins"

// catalog declares every target. The order is the scheduling priority:
// the Kubernetes build and what the node image needs come first (the
// critical path), the add-ons after.
func (b *Builder) catalog() []*Target {
	set := LocalSet()
	refs := map[string]string{
		kubeAPIServer:     kubeRef(kubeAPIServer),
		kubeControllerMgr: kubeRef(kubeControllerMgr),
		kubeScheduler:     kubeRef(kubeScheduler),
		kubeProxy:         kubeRef(kubeProxy),
		etcdImage:         etcdRef(),
		corednsImage:      corednsRef(),
		pauseImage:        PauseRef(),
		nodeImage:         set.Node,
	}
	ts := []*Target{
		rootfsTarget(nodeRootfs, nodePackages),
		rootfsTarget(kubeProxyRootfs, kubeProxyPackages),
		kubernetesTarget(),
		etcdTarget(),
		corednsTarget(),
		crictlTarget(),
		pauseTarget(),
		controlPlaneTarget(kubeAPIServer),
		controlPlaneTarget(kubeControllerMgr),
		controlPlaneTarget(kubeScheduler),
		kubeProxyTarget(),
		nodeTarget(refs),
		prometheusTarget(set.Prometheus),
		argoTarget(set.ArgoRollouts),
	}
	if b.cfg.Faultapp != nil {
		ts = append(ts, faultappTarget(set.Faultapp, b.cfg.Faultapp))
	}
	return ts
}

// ControlPlaneImages are the images preloaded into the node image, as
// kubeadm names them with imageRepository set to Repository.
func ControlPlaneImages() []string {
	return []string{
		kubeRef(kubeAPIServer), kubeRef(kubeControllerMgr), kubeRef(kubeScheduler), kubeRef(kubeProxy),
		etcdRef(), corednsRef(), PauseRef(),
	}
}

// KubernetesVersion is the version of the locally built node image.
const KubernetesVersion = pins.Kubernetes
