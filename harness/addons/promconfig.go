package addons

import (
	"fmt"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/faultapp"
)

// Prometheus scrape settings.
const (
	// DefaultScrapeInterval is the scrape (and rule evaluation) interval
	// unless a run asks for another.
	DefaultScrapeInterval = 5 * time.Second
	// MinScrapeInterval is the shortest interval coalmine configures.
	MinScrapeInterval = time.Second
	// FaultappName is the app.kubernetes.io/name label of faultapp pods;
	// their metrics port is the container port named FaultappPortName.
	FaultappName     = "faultapp"
	FaultappPortName = "http"
)

// Scrape jobs in the rendered configuration.
const (
	JobFaultapp     = faultapp.Job
	JobPods         = "pods"
	JobArgoRollouts = "argo-rollouts"
	// JobPrometheus scrapes Prometheus itself through its Service DNS
	// name, so up{job="prometheus"} == 1 proves in-cluster DNS works.
	JobPrometheus = "prometheus"
)

type promConfig struct {
	Global        promGlobal     `json:"global"`
	ScrapeConfigs []scrapeConfig `json:"scrape_configs"`
}

type promGlobal struct {
	ScrapeInterval     string `json:"scrape_interval"`
	ScrapeTimeout      string `json:"scrape_timeout"`
	EvaluationInterval string `json:"evaluation_interval"`
}

type scrapeConfig struct {
	JobName             string         `json:"job_name"`
	KubernetesSDConfigs []kubeSDConfig `json:"kubernetes_sd_configs,omitempty"`
	StaticConfigs       []staticConfig `json:"static_configs,omitempty"`
	RelabelConfigs      []relabel      `json:"relabel_configs,omitempty"`
}

type kubeSDConfig struct {
	Role string `json:"role"`
}

type staticConfig struct {
	Targets []string `json:"targets"`
}

type relabel struct {
	SourceLabels []string `json:"source_labels,omitempty"`
	Regex        string   `json:"regex,omitempty"`
	TargetLabel  string   `json:"target_label,omitempty"`
	Replacement  string   `json:"replacement,omitempty"`
	Action       string   `json:"action,omitempty"`
}

// promDuration formats d the way Prometheus reads durations.
func promDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d/time.Millisecond)
}

// podTargetLabels copy pod identity onto every target: namespace, pod and
// the Argo Rollouts pod-template hash (which tells stable from canary).
var podTargetLabels = []relabel{
	{SourceLabels: []string{"__meta_kubernetes_namespace"}, TargetLabel: faultapp.TargetLabelNamespace},
	{SourceLabels: []string{"__meta_kubernetes_pod_name"}, TargetLabel: faultapp.TargetLabelPod},
	{SourceLabels: []string{"__meta_kubernetes_pod_label_rollouts_pod_template_hash"}, TargetLabel: faultapp.TargetLabelHash},
}

var dropNotRunning = relabel{SourceLabels: []string{"__meta_kubernetes_pod_phase"}, Regex: "Pending|Succeeded|Failed|Unknown", Action: "drop"}

// PrometheusConfig renders prometheus.yml with scrape and evaluation
// interval every (at least MinScrapeInterval).
func PrometheusConfig(every time.Duration) ([]byte, error) {
	if every < MinScrapeInterval {
		return nil, fmt.Errorf("scrape interval %s is below the minimum %s", every, MinScrapeInterval)
	}
	timeout := min(every, 10*time.Second)
	cfg := promConfig{
		Global: promGlobal{ScrapeInterval: promDuration(every), ScrapeTimeout: promDuration(timeout), EvaluationInterval: promDuration(every)},
		ScrapeConfigs: []scrapeConfig{
			{
				JobName:             JobFaultapp,
				KubernetesSDConfigs: []kubeSDConfig{{Role: "pod"}},
				RelabelConfigs: append([]relabel{
					{SourceLabels: []string{"__meta_kubernetes_pod_label_app_kubernetes_io_name"}, Regex: FaultappName, Action: "keep"},
					{SourceLabels: []string{"__meta_kubernetes_pod_container_port_name"}, Regex: FaultappPortName, Action: "keep"},
					dropNotRunning,
				}, podTargetLabels...),
			},
			{
				JobName:             JobPods,
				KubernetesSDConfigs: []kubeSDConfig{{Role: "pod"}},
				RelabelConfigs: append([]relabel{
					{SourceLabels: []string{"__meta_kubernetes_pod_annotation_prometheus_io_scrape"}, Regex: "true", Action: "keep"},
					{SourceLabels: []string{"__meta_kubernetes_pod_label_app_kubernetes_io_name"}, Regex: FaultappName + "|" + ArgoDeployment, Action: "drop"},
					dropNotRunning,
					{SourceLabels: []string{"__meta_kubernetes_pod_annotation_prometheus_io_path"}, Regex: "(.+)", TargetLabel: "__metrics_path__"},
					{SourceLabels: []string{"__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"},
						Regex: `([^:]+)(?::\d+)?;(\d+)`, Replacement: "$1:$2", TargetLabel: "__address__"},
				}, podTargetLabels...),
			},
			{
				JobName:             JobArgoRollouts,
				KubernetesSDConfigs: []kubeSDConfig{{Role: "pod"}},
				RelabelConfigs: []relabel{
					{SourceLabels: []string{"__meta_kubernetes_pod_label_app_kubernetes_io_name", "__meta_kubernetes_pod_container_port_name"},
						Regex: ArgoDeployment + ";metrics", Action: "keep"},
					dropNotRunning,
					podTargetLabels[0], podTargetLabels[1],
				},
			},
			{
				JobName:       JobPrometheus,
				StaticConfigs: []staticConfig{{Targets: []string{PrometheusDNSName + ":" + fmt.Sprint(PrometheusPort)}}},
			},
		},
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("render prometheus config: %w", err)
	}
	return append([]byte("# rendered by coalmine (harness/addons); edits are overwritten\n"), out...), nil
}
