package addons

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/coalmine/coalmine/harness/pins"
)

// Prometheus install facts.
const (
	// SystemNamespace holds coalmine's own add-ons.
	SystemNamespace    = "coalmine-system"
	PrometheusName     = "prometheus"
	PrometheusPort     = 9090
	PrometheusHostSvc  = "prometheus-host"
	PrometheusDNSName  = PrometheusName + "." + SystemNamespace + ".svc.cluster.local"
	PrometheusConfigCM = "prometheus-config"
	// PrometheusInClusterURL is how AnalysisTemplates reach Prometheus.
	PrometheusInClusterURL = "http://" + PrometheusDNSName + ":9090"
	// DefaultPrometheusNodePort is the NodePort kind maps to the host.
	DefaultPrometheusNodePort = 30090
	// ConfigHashAnnotation on the Prometheus pod names the config it should
	// have loaded; changing it makes the kubelet refresh the mounted
	// ConfigMap at once.
	ConfigHashAnnotation = "coalmine.dev/prometheus-config-sha256"
)

// PrometheusOptions shape the Prometheus install.
type PrometheusOptions struct {
	Image      string
	PullPolicy corev1.PullPolicy
	// NodePort of the host-facing Service; 0 means no NodePort Service.
	NodePort       int32
	ScrapeInterval time.Duration
}

func promLabels() map[string]string {
	return map[string]string{LabelName: PrometheusName, LabelManagedBy: ManagedBy, LabelVersion: pins.Prometheus}
}

var promSelector = map[string]string{LabelName: PrometheusName}

func configHash(cfg []byte) string {
	sum := sha256.Sum256(cfg)
	return hex.EncodeToString(sum[:])
}

// PrometheusConfigMap is the ConfigMap holding a rendered prometheus.yml.
func PrometheusConfigMap(every time.Duration) (*unstructured.Unstructured, string, error) {
	cfg, err := PrometheusConfig(every)
	if err != nil {
		return nil, "", err
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: PrometheusConfigCM, Namespace: SystemNamespace, Labels: promLabels()},
		Data:       map[string]string{"prometheus.yml": string(cfg)},
	}
	u, err := toUnstructured(corev1.SchemeGroupVersion.WithKind("ConfigMap"), cm)
	return u, configHash(cfg), err
}

// PrometheusObjects returns everything Prometheus needs, in apply order.
func PrometheusObjects(o PrometheusOptions) ([]*unstructured.Unstructured, error) {
	if o.Image == "" {
		return nil, fmt.Errorf("prometheus: empty image")
	}
	cm, _, err := PrometheusConfigMap(o.ScrapeInterval)
	if err != nil {
		return nil, err
	}
	meta := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Namespace: SystemNamespace, Labels: promLabels()}
	}
	cluster := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Labels: promLabels()}
	}
	typed := []struct {
		gvk schema.GroupVersionKind
		obj runtime.Object
	}{
		{corev1.SchemeGroupVersion.WithKind("Namespace"), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: SystemNamespace, Labels: map[string]string{LabelManagedBy: ManagedBy}}}},
		{corev1.SchemeGroupVersion.WithKind("ServiceAccount"), &corev1.ServiceAccount{ObjectMeta: meta(PrometheusName)}},
		{rbacv1.SchemeGroupVersion.WithKind("ClusterRole"), &rbacv1.ClusterRole{ObjectMeta: cluster("coalmine-prometheus"), Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{""}, Resources: []string{"pods", "services", "endpoints", "nodes"}, Verbs: []string{"get", "list", "watch"}},
			{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: []string{"get", "list", "watch"}},
			{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}},
		}}},
		{rbacv1.SchemeGroupVersion.WithKind("ClusterRoleBinding"), &rbacv1.ClusterRoleBinding{ObjectMeta: cluster("coalmine-prometheus"),
			RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "coalmine-prometheus"},
			Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: PrometheusName, Namespace: SystemNamespace}}}},
		{appsv1.SchemeGroupVersion.WithKind("Deployment"), prometheusDeployment(o, meta(PrometheusName))},
		{corev1.SchemeGroupVersion.WithKind("Service"), &corev1.Service{ObjectMeta: meta(PrometheusName), Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, Selector: promSelector,
			Ports: []corev1.ServicePort{{Name: "web", Port: PrometheusPort, TargetPort: intstr.FromString("web")}}}}},
	}
	if o.NodePort != 0 {
		typed = append(typed, struct {
			gvk schema.GroupVersionKind
			obj runtime.Object
		}{corev1.SchemeGroupVersion.WithKind("Service"), &corev1.Service{ObjectMeta: meta(PrometheusHostSvc), Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeNodePort, Selector: promSelector,
			Ports: []corev1.ServicePort{{Name: "web", Port: PrometheusPort, TargetPort: intstr.FromString("web"), NodePort: o.NodePort}}}}})
	}
	out := []*unstructured.Unstructured{}
	for i, t := range typed {
		u, err := toUnstructured(t.gvk, t.obj)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		if i == 3 { // after RBAC, before the Deployment that mounts it
			out = append(out, cm)
		}
	}
	return out, nil
}

func prometheusDeployment(o PrometheusOptions, om metav1.ObjectMeta) *appsv1.Deployment {
	one := int32(1)
	nobody := int64(65534)
	yes := true
	return &appsv1.Deployment{
		ObjectMeta: om,
		Spec: appsv1.DeploymentSpec{
			Replicas: &one,
			Selector: &metav1.LabelSelector{MatchLabels: promSelector},
			// One TSDB in an emptyDir: never two pods at once.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: promLabels()},
				Spec: corev1.PodSpec{
					ServiceAccountName: PrometheusName,
					SecurityContext:    &corev1.PodSecurityContext{RunAsUser: &nobody, RunAsGroup: &nobody, FSGroup: &nobody, RunAsNonRoot: &yes},
					Containers: []corev1.Container{{
						Name:            PrometheusName,
						Image:           o.Image,
						ImagePullPolicy: o.PullPolicy,
						Args: []string{
							"--config.file=/etc/prometheus/prometheus.yml",
							"--storage.tsdb.path=/prometheus",
							"--storage.tsdb.retention.time=2d",
							"--web.listen-address=:9090",
							"--web.enable-lifecycle",
						},
						Ports: []corev1.ContainerPort{{Name: "web", ContainerPort: PrometheusPort}},
						ReadinessProbe: &corev1.Probe{
							ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/-/ready", Port: intstr.FromString("web")}},
							PeriodSeconds: 1, FailureThreshold: 3,
						},
						LivenessProbe: &corev1.Probe{
							ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/-/healthy", Port: intstr.FromString("web")}},
							PeriodSeconds: 10, FailureThreshold: 6,
							InitialDelaySeconds: 10,
						},
						Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
							corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")}},
						VolumeMounts: []corev1.VolumeMount{
							{Name: "config", MountPath: "/etc/prometheus"},
							{Name: "data", MountPath: "/prometheus"},
						},
					}},
					Volumes: []corev1.Volume{
						{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
							LocalObjectReference: corev1.LocalObjectReference{Name: PrometheusConfigCM}}}},
						{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
					},
				},
			},
		},
	}
}
