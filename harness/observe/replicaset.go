package observe

import "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

// VersionLabel is the pod label carrying faultapp's version.
const VersionLabel = "app.kubernetes.io/version"

// ReplicaSet is one revision's ReplicaSet as the observer sees it.
type ReplicaSet struct {
	Name    string
	PodHash string
	// Version is the pod template's app.kubernetes.io/version label.
	Version                             string
	Desired, Replicas, Ready, Available int
}

// ParseReplicaSet reads a ReplicaSet object.
func ParseReplicaSet(u *unstructured.Unstructured) ReplicaSet {
	o := u.Object
	n := func(path ...string) int { v, _ := num(o, path...); return int(v) }
	return ReplicaSet{
		Name:      u.GetName(),
		PodHash:   u.GetLabels()[PodTemplateHashLabel],
		Version:   str(o, "spec", "template", "metadata", "labels", VersionLabel),
		Desired:   n("spec", "replicas"),
		Replicas:  n("status", "replicas"),
		Ready:     n("status", "readyReplicas"),
		Available: n("status", "availableReplicas"),
	}
}
