package scenarios

// Mirror of the Argo Rollouts v1.10 API fields a strategy file may use
// (github.com/argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1, same json
// names), decoded strictly so that a misspelled field is reported with its
// line. Importing the upstream module would pull k8s.io/kubernetes and move
// the k8s.io modules off the pinned version, so the fields are copied.
// Blocks coalmine passes through untouched are typed `any` (not checked
// here; the cluster's CRD schema checks them on apply).

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// argoStrategyDoc is the first document of a strategy file: a fragment of
// Rollout.spec.
type argoStrategyDoc struct {
	Strategy                argoStrategy `json:"strategy"`
	ProgressDeadlineSeconds *int32       `json:"progressDeadlineSeconds"`
	ProgressDeadlineAbort   bool         `json:"progressDeadlineAbort"`
}

type argoStrategy struct {
	BlueGreen *argoBlueGreen `json:"blueGreen"`
	Canary    *argoCanary    `json:"canary"`
}

type argoBlueGreen struct {
	ActiveService               string        `json:"activeService"`
	PreviewService              string        `json:"previewService"`
	PreviewReplicaCount         *int32        `json:"previewReplicaCount"`
	AutoPromotionEnabled        *bool         `json:"autoPromotionEnabled"`
	AutoPromotionSeconds        int32         `json:"autoPromotionSeconds"`
	MaxUnavailable              *intOrString  `json:"maxUnavailable"`
	ScaleDownDelaySeconds       *int32        `json:"scaleDownDelaySeconds"`
	ScaleDownDelayRevisionLimit *int32        `json:"scaleDownDelayRevisionLimit"`
	PrePromotionAnalysis        *argoAnalysis `json:"prePromotionAnalysis"`
	AntiAffinity                any           `json:"antiAffinity"`
	PostPromotionAnalysis       *argoAnalysis `json:"postPromotionAnalysis"`
	PreviewMetadata             any           `json:"previewMetadata"`
	ActiveMetadata              any           `json:"activeMetadata"`
	AbortScaleDownDelaySeconds  *int32        `json:"abortScaleDownDelaySeconds"`
}

type argoCanary struct {
	CanaryService               string                  `json:"canaryService"`
	StableService               string                  `json:"stableService"`
	Steps                       []argoStep              `json:"steps"`
	TrafficRouting              any                     `json:"trafficRouting"`
	MaxUnavailable              *intOrString            `json:"maxUnavailable"`
	MaxSurge                    *intOrString            `json:"maxSurge"`
	Analysis                    *argoBackgroundAnalysis `json:"analysis"`
	AntiAffinity                any                     `json:"antiAffinity"`
	CanaryMetadata              any                     `json:"canaryMetadata"`
	StableMetadata              any                     `json:"stableMetadata"`
	ScaleDownDelaySeconds       *int32                  `json:"scaleDownDelaySeconds"`
	ScaleDownDelayRevisionLimit *int32                  `json:"scaleDownDelayRevisionLimit"`
	AbortScaleDownDelaySeconds  *int32                  `json:"abortScaleDownDelaySeconds"`
	DynamicStableScale          bool                    `json:"dynamicStableScale"`
	PingPong                    any                     `json:"pingPong"`
	MinPodsPerReplicaSet        *int32                  `json:"minPodsPerReplicaSet"`
	ReplicaProgressThreshold    any                     `json:"replicaProgressThreshold"`
}

type argoStep struct {
	SetWeight      *int32        `json:"setWeight"`
	Pause          *argoPause    `json:"pause"`
	Experiment     any           `json:"experiment"`
	Analysis       *argoAnalysis `json:"analysis"`
	SetCanaryScale *argoScale    `json:"setCanaryScale"`
	SetHeaderRoute any           `json:"setHeaderRoute"`
	SetMirrorRoute any           `json:"setMirrorRoute"`
	Plugin         any           `json:"plugin"`
}

type argoPause struct {
	Duration *intOrString `json:"duration"`
}

type argoScale struct {
	Weight             *int32 `json:"weight"`
	Replicas           *int32 `json:"replicas"`
	MatchTrafficWeight bool   `json:"matchTrafficWeight"`
}

type argoAnalysis struct {
	Templates            []argoTemplateRef `json:"templates"`
	Args                 []argoRunArg      `json:"args"`
	DryRun               []argoDryRun      `json:"dryRun"`
	MeasurementRetention []argoRetention   `json:"measurementRetention"`
	AnalysisRunMetadata  any               `json:"analysisRunMetadata"`
}

type argoBackgroundAnalysis struct {
	argoAnalysis `json:",inline"`
	StartingStep *int32 `json:"startingStep"`
}

type argoTemplateRef struct {
	TemplateName string `json:"templateName"`
	ClusterScope *bool  `json:"clusterScope"`
}

type argoRunArg struct {
	Name      string            `json:"name"`
	Value     string            `json:"value"`
	ValueFrom *argoRunValueFrom `json:"valueFrom"`
}

type argoRunValueFrom struct {
	PodTemplateHashValue *string       `json:"podTemplateHashValue"`
	FieldRef             *argoFieldRef `json:"fieldRef"`
}

type argoFieldRef struct {
	FieldPath string `json:"fieldPath"`
}

type argoDryRun struct {
	MetricName string `json:"metricName"`
}

type argoRetention struct {
	MetricName string `json:"metricName"`
	Limit      int32  `json:"limit"`
}

type argoAnalysisTemplate struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   argoObjectMeta   `json:"metadata"`
	Spec       argoTemplateSpec `json:"spec"`
}

type argoObjectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

type argoTemplateSpec struct {
	Metrics              []argoMetric      `json:"metrics"`
	Args                 []argoArg         `json:"args"`
	DryRun               []argoDryRun      `json:"dryRun"`
	MeasurementRetention []argoRetention   `json:"measurementRetention"`
	Templates            []argoTemplateRef `json:"templates"`
}

type argoArg struct {
	Name      string         `json:"name"`
	Value     *string        `json:"value"`
	ValueFrom *argoValueFrom `json:"valueFrom"`
}

type argoValueFrom struct {
	SecretKeyRef any           `json:"secretKeyRef"`
	FieldRef     *argoFieldRef `json:"fieldRef"`
}

type argoMetric struct {
	Name                    string       `json:"name"`
	Interval                string       `json:"interval"`
	InitialDelay            string       `json:"initialDelay"`
	Count                   *intOrString `json:"count"`
	SuccessCondition        string       `json:"successCondition"`
	FailureCondition        string       `json:"failureCondition"`
	FailureLimit            *intOrString `json:"failureLimit"`
	InconclusiveLimit       *intOrString `json:"inconclusiveLimit"`
	ConsecutiveErrorLimit   *intOrString `json:"consecutiveErrorLimit"`
	Provider                argoProvider `json:"provider"`
	ConsecutiveSuccessLimit *intOrString `json:"consecutiveSuccessLimit"`
}

type argoProvider struct {
	Prometheus *argoPrometheus `json:"prometheus"`
	Kayenta    any             `json:"kayenta"`
	Web        any             `json:"web"`
	Datadog    any             `json:"datadog"`
	Wavefront  any             `json:"wavefront"`
	NewRelic   any             `json:"newRelic"`
	Job        any             `json:"job"`
	CloudWatch any             `json:"cloudWatch"`
	Graphite   any             `json:"graphite"`
	Influxdb   any             `json:"influxdb"`
	SkyWalking any             `json:"skywalking"`
	Plugin     any             `json:"plugin"`
}

type argoPrometheus struct {
	Address        string         `json:"address"`
	Query          string         `json:"query"`
	Authentication any            `json:"authentication"`
	Timeout        *int64         `json:"timeout"`
	Insecure       bool           `json:"insecure"`
	Headers        []argoHeader   `json:"headers"`
	RangeQuery     *argoRangeArgs `json:"rangeQuery"`
}

type argoHeader struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type argoRangeArgs struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Step  string `json:"step"`
}

// intOrString mirrors k8s intstr.IntOrString: an integer or a string.
type intOrString struct {
	IsString bool
	Int      int64
	Str      string
}

func (v *intOrString) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("want an integer or a string")
	}
	if n.Tag == "!!int" {
		i, err := strconv.ParseInt(n.Value, 0, 32)
		if err != nil {
			return fmt.Errorf("want a 32-bit integer, got %q", n.Value)
		}
		*v = intOrString{Int: i}
		return nil
	}
	if n.Tag != "!!str" {
		return fmt.Errorf("want an integer or a string, got %q", n.Value)
	}
	*v = intOrString{IsString: true, Str: n.Value}
	return nil
}

func (v intOrString) String() string {
	if v.IsString {
		return v.Str
	}
	return strconv.FormatInt(v.Int, 10)
}
