package addons

import (
	"context"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/internal/golden"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/harness/pins"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestPrometheusConfigGolden(t *testing.T) {
	tests := []struct {
		every time.Duration
		file  string
	}{
		{DefaultScrapeInterval, "prometheus-5s.yaml"},
		{time.Second, "prometheus-1s.yaml"},
		{time.Minute, "prometheus-1m.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			out, err := PrometheusConfig(tc.every)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.file), out, *update)
			var cfg promConfig
			if err := yaml.UnmarshalStrict(out, &cfg); err != nil {
				t.Fatalf("config does not decode strictly: %v", err)
			}
			if cfg.Global.ScrapeInterval != promDuration(tc.every) || cfg.Global.EvaluationInterval != promDuration(tc.every) {
				t.Errorf("global = %+v", cfg.Global)
			}
			timeout, _ := time.ParseDuration(cfg.Global.ScrapeTimeout)
			if timeout > tc.every || timeout > 10*time.Second {
				t.Errorf("scrape_timeout %s exceeds the interval %s", cfg.Global.ScrapeTimeout, tc.every)
			}
		})
	}
}

func TestPrometheusConfigRelabelling(t *testing.T) {
	out, err := PrometheusConfig(2 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var cfg promConfig
	if err := yaml.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]scrapeConfig{}
	for _, sc := range cfg.ScrapeConfigs {
		jobs[sc.JobName] = sc
	}
	fa, ok := jobs[JobFaultapp]
	if !ok {
		t.Fatal("no faultapp job")
	}
	keeps := map[string]string{}
	targets := map[string]string{}
	for _, r := range fa.RelabelConfigs {
		if r.Action == "keep" {
			keeps[r.SourceLabels[0]] = r.Regex
		}
		if r.TargetLabel != "" {
			targets[r.TargetLabel] = r.SourceLabels[0]
		}
	}
	if keeps["__meta_kubernetes_pod_label_app_kubernetes_io_name"] != "faultapp" ||
		keeps["__meta_kubernetes_pod_container_port_name"] != "http" {
		t.Errorf("faultapp keep rules = %v", keeps)
	}
	for label, src := range map[string]string{
		"namespace":                  "__meta_kubernetes_namespace",
		"pod":                        "__meta_kubernetes_pod_name",
		"rollouts_pod_template_hash": "__meta_kubernetes_pod_label_rollouts_pod_template_hash",
	} {
		if targets[label] != src {
			t.Errorf("target label %s from %q, want %q", label, targets[label], src)
		}
	}
	if got := jobs[JobPrometheus].StaticConfigs[0].Targets[0]; got != "prometheus.coalmine-system.svc.cluster.local:9090" {
		t.Errorf("self-scrape target = %s", got)
	}
	if _, ok := jobs[JobArgoRollouts]; !ok {
		t.Error("no argo-rollouts job")
	}
}

func TestPrometheusConfigRejectsSubSecond(t *testing.T) {
	if _, err := PrometheusConfig(500 * time.Millisecond); err == nil {
		t.Fatal("500ms accepted")
	}
}

func TestPromDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Second: "1s", 90 * time.Second: "90s", 2 * time.Minute: "2m", 1500 * time.Millisecond: "1500ms"} {
		if got := promDuration(d); got != want {
			t.Errorf("promDuration(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestArgoRolloutsObjectsImageSubstitution(t *testing.T) {
	local := images.LocalSet().ArgoRollouts
	upstream, err := UpstreamArgoRolloutsImage()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(upstream, "/argoproj/argo-rollouts:"+pins.ArgoRollouts) {
		t.Errorf("upstream image %q is not the pinned argo-rollouts image", upstream)
	}
	for _, image := range []string{local, upstream} {
		t.Run(image, func(t *testing.T) {
			objs, err := ArgoRolloutsObjects(image, corev1.PullIfNotPresent)
			if err != nil {
				t.Fatal(err)
			}
			if objs[0].GetKind() != "Namespace" || objs[0].GetName() != ArgoNamespace {
				t.Fatalf("first object %s, want the namespace", objRef(objs[0]))
			}
			var crds []string
			for _, o := range objs {
				if o.GetLabels()[LabelManagedBy] != ManagedBy || o.GetLabels()[LabelVersion] != pins.ArgoRollouts {
					t.Errorf("%s lacks coalmine labels", objRef(o))
				}
				if clusterScoped[o.GetKind()] != (o.GetNamespace() == "") {
					t.Errorf("%s: namespace %q", objRef(o), o.GetNamespace())
				}
				if o.GetKind() == "CustomResourceDefinition" {
					crds = append(crds, o.GetName())
				}
			}
			slices.Sort(crds)
			if !slices.Equal(crds, ArgoCRDs) {
				t.Errorf("CRDs = %v, want %v", crds, ArgoCRDs)
			}
			dep := find(t, objs, "Deployment", ArgoDeployment)
			var d appsv1.Deployment
			fromUnstructured(t, dep, &d)
			c := d.Spec.Template.Spec.Containers[0]
			if c.Image != image || c.ImagePullPolicy != corev1.PullIfNotPresent {
				t.Errorf("container image %s (%s), want %s (IfNotPresent)", c.Image, c.ImagePullPolicy, image)
			}
			if d.Spec.Template.Labels[LabelVersion] != pins.ArgoRollouts || d.Spec.Template.Labels[LabelName] != ArgoDeployment {
				t.Errorf("pod template labels %v", d.Spec.Template.Labels)
			}
			if !slices.ContainsFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == "metrics" && p.ContainerPort == ArgoMetricsPort }) {
				t.Errorf("controller metrics port missing: %v", c.Ports)
			}
		})
	}
	// The embedded manifest itself is not modified between calls.
	again, _ := ArgoRolloutsObjects("x:1", corev1.PullNever)
	objs, _ := ArgoRolloutsObjects(local, corev1.PullIfNotPresent)
	if find(t, again, "Deployment", ArgoDeployment) == find(t, objs, "Deployment", ArgoDeployment) {
		t.Error("objects shared between calls")
	}
	if _, err := ArgoRolloutsObjects("", corev1.PullIfNotPresent); err == nil {
		t.Error("empty image accepted")
	}
}

func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	t.Fatalf("no %s %s", kind, name)
	return nil
}

func fromUnstructured(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	b, err := u.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
}

func TestPrometheusObjects(t *testing.T) {
	objs, err := PrometheusObjects(PrometheusOptions{Image: "coalmine/prometheus:" + pins.Prometheus,
		PullPolicy: corev1.PullIfNotPresent, NodePort: DefaultPrometheusNodePort, ScrapeInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range objs {
		kinds = append(kinds, o.GetKind()+"/"+o.GetName())
	}
	want := []string{"Namespace/coalmine-system", "ServiceAccount/prometheus", "ClusterRole/coalmine-prometheus",
		"ClusterRoleBinding/coalmine-prometheus", "ConfigMap/prometheus-config", "Deployment/prometheus",
		"Service/prometheus", "Service/prometheus-host"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("objects %v, want %v", kinds, want)
	}
	var d appsv1.Deployment
	fromUnstructured(t, find(t, objs, "Deployment", "prometheus"), &d)
	if !slices.Contains(d.Spec.Template.Spec.Containers[0].Args, "--web.enable-lifecycle") {
		t.Error("lifecycle API (reload) not enabled")
	}
	var svc, host corev1.Service
	fromUnstructured(t, find(t, objs, "Service", "prometheus"), &svc)
	fromUnstructured(t, objs[len(objs)-1], &host)
	if svc.Spec.Type != corev1.ServiceTypeClusterIP || svc.Spec.Ports[0].Port != 9090 {
		t.Errorf("service %+v", svc.Spec)
	}
	if host.Spec.Type != corev1.ServiceTypeNodePort || host.Spec.Ports[0].NodePort != DefaultPrometheusNodePort {
		t.Errorf("host service %+v", host.Spec)
	}
	var cm corev1.ConfigMap
	fromUnstructured(t, find(t, objs, "ConfigMap", PrometheusConfigCM), &cm)
	if !strings.Contains(cm.Data["prometheus.yml"], "scrape_interval: 1s") {
		t.Errorf("config map does not carry the 1s interval:\n%s", cm.Data["prometheus.yml"])
	}
	noNode, _ := PrometheusObjects(PrometheusOptions{Image: "p:1", ScrapeInterval: time.Second})
	if len(noNode) != len(objs)-1 {
		t.Error("NodePort service rendered without a node port")
	}
}

func TestDecodeVector(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []Sample
		wantErr bool
	}{
		{"two samples", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"faultapp"},"value":[1,"1"]},{"metric":{"job":"x"},"value":[1,"0"]}]}}`,
			[]Sample{{Metric: map[string]string{"job": "faultapp"}, Value: 1}, {Metric: map[string]string{"job": "x"}, Value: 0}}, false},
		{"empty", `{"status":"success","data":{"resultType":"vector","result":[]}}`, []Sample{}, false},
		{"error", `{"status":"error","errorType":"bad_data","error":"parse error"}`, nil, true},
		{"matrix", `{"status":"success","data":{"resultType":"matrix","result":[]}}`, nil, true},
		{"NaN", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}`, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeVector([]byte(tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if tc.want != nil && !slices.EqualFunc(got, tc.want, func(a, b Sample) bool {
				return a.Value == b.Value && a.Metric["job"] == b.Metric["job"]
			}) {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestImageTag(t *testing.T) {
	for ref, want := range map[string]string{
		"coalmine/argo-rollouts:v1.10.1":               "v1.10.1",
		"127.0.0.1:5000/argoproj/argo-rollouts:v1.9.0": "v1.9.0",
		"127.0.0.1:5000/argoproj/argo-rollouts":        "",
		"a/b:v1@sha256:abc":                            "v1",
	} {
		if got := imageTag(ref); got != want {
			t.Errorf("imageTag(%s) = %q, want %q", ref, got, want)
		}
	}
}

func deployment(gen, observed int64, replicas, updated, available int32, cond corev1.ConditionStatus) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "ns", Generation: gen},
		Spec:       appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "d"}}},
		Status: appsv1.DeploymentStatus{ObservedGeneration: observed, Replicas: replicas, UpdatedReplicas: updated, AvailableReplicas: available,
			Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable, Status: cond}}},
	}
}

func TestDeploymentRolledOut(t *testing.T) {
	tests := []struct {
		name string
		d    *appsv1.Deployment
		want bool
	}{
		{"ready", deployment(2, 2, 1, 1, 1, corev1.ConditionTrue), true},
		{"old generation observed", deployment(3, 2, 1, 1, 1, corev1.ConditionTrue), false},
		{"not available", deployment(1, 1, 1, 1, 0, corev1.ConditionFalse), false},
		{"rolling", deployment(1, 1, 2, 1, 2, corev1.ConditionTrue), false},
	}
	for _, tc := range tests {
		if got := DeploymentRolledOut(tc.d); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}

func TestWaitDeploymentWatches(t *testing.T) {
	d := deployment(1, 1, 1, 0, 0, corev1.ConditionFalse)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "d-1", Namespace: "ns", Labels: map[string]string{"app": "d"}},
		Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Name: "c",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull", Message: "image not present"}}}}}}
	kube := fake.NewClientset(d, pod)
	ctx := context.Background()

	err := WaitDeployment(ctx, kube, "ns", "d", 300*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "ErrImageNeverPull") {
		t.Fatalf("timeout error does not name the pod problem: %v", err)
	}

	done := make(chan error, 1)
	go func() { done <- WaitDeployment(ctx, kube, "ns", "d", 10*time.Second) }()
	ready := deployment(1, 1, 1, 1, 1, corev1.ConditionTrue)
	if _, err := kube.AppsV1().Deployments("ns").UpdateStatus(ctx, ready, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("wait after the deployment became ready: %v", err)
	}
}
