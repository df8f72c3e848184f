package observe

import "k8s.io/apimachinery/pkg/runtime/schema"

// Resources the observer watches.
var (
	RolloutsGVR     = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
	AnalysisRunsGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "analysisruns"}
	ReplicaSetsGVR  = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "replicasets"}
	EventsGVR       = schema.GroupVersionResource{Group: "", Version: "v1", Resource: "events"}
)

// PodTemplateHashLabel is the label Argo Rollouts puts on ReplicaSets, pods
// and AnalysisRuns to name a revision.
const PodTemplateHashLabel = "rollouts-pod-template-hash"
