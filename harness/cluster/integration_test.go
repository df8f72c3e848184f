//go:build integration

package cluster_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// TestLabel marks every object a test creates.
const TestLabel = "coalmine.dev/test"

var (
	rolloutGVR     = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
	analysisRunGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "analysisruns"}
)

func kindProvider(t *testing.T, name string, ports cluster.Ports) *cluster.Kind {
	t.Helper()
	k, err := cluster.NewKind(cluster.KindOptions{
		Name: name, Images: images.LocalSet(), Ports: &ports,
		KubeconfigPath: filepath.Join(t.TempDir(), "kubeconfig"),
		StateDir:       filepath.Join(t.TempDir(), "state"),
		Progress:       func(s string) { t.Log(s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func requireLocalImages(t *testing.T) {
	t.Helper()
	set := images.LocalSet()
	for _, ref := range []string{set.Node, set.ArgoRollouts, set.Prometheus, set.Faultapp} {
		if id, err := (doctor.Docker{}).ImageID(context.Background(), ref); err != nil || id == "" {
			t.Fatalf("local image %s missing (%v): run `coalmine images build`", ref, err)
		}
	}
}

// nodeVolumes lists the Docker volumes mounted into a cluster's nodes.
func nodeVolumes(t *testing.T, name string) []string {
	t.Helper()
	var vols []string
	for _, c := range nodeContainers(t, name) {
		out, err := exec.Command("docker", "inspect", "--format", `{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}`, c).Output()
		if err != nil {
			t.Fatal(err)
		}
		vols = append(vols, strings.Fields(string(out))...)
	}
	if len(vols) == 0 {
		t.Fatal("kind node has no volume: cannot check Down removes it")
	}
	return vols
}

func checkVolumesGone(t *testing.T, vols []string) {
	t.Helper()
	for _, v := range vols {
		if exec.Command("docker", "volume", "inspect", v).Run() == nil {
			t.Errorf("volume %s left after Down", v)
		}
	}
}

// nodeContainers lists every container (running or not) of a kind cluster.
func nodeContainers(t *testing.T, name string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--format", "{{.Names}}", "--filter", "label=io.x-k8s.kind.cluster="+name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(out))
}

func TestKindCluster(t *testing.T) {
	requireLocalImages(t)
	const name = "coalmine-it"
	ports := cluster.NewPorts(cluster.PortOptions{PrometheusHostPort: 39090, EntryHostPort: 39080})
	k := kindProvider(t, name, ports)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	var vols []string // the node's volumes, which Down must remove too
	t.Cleanup(func() {
		if err := k.Down(context.Background()); err != nil {
			t.Errorf("down: %v", err)
		}
		if left := nodeContainers(t, name); len(left) > 0 {
			t.Errorf("containers left after Down: %v", left)
		}
		checkVolumesGone(t, vols)
	})

	start := time.Now()
	env, err := cluster.Bringup(ctx, k, addons.Options{Images: images.LocalSet(), ScrapeInterval: time.Second, Progress: func(s string) { t.Log(s) }})
	if err != nil {
		t.Fatalf("bringup: %v", err)
	}
	t.Logf("cluster up with add-ons in %s", time.Since(start).Round(100*time.Millisecond))
	vols = nodeVolumes(t, name)

	t.Run("node Ready", func(t *testing.T) {
		st, err := k.Status(ctx)
		if err != nil || !st.Healthy() {
			t.Fatalf("status %+v, %v", st, err)
		}
		if !st.Ports.Equal(ports) {
			t.Errorf("published ports %+v, want %+v", st.Ports, ports)
		}
	})
	t.Run("argo rollouts available", func(t *testing.T) {
		r, err := cluster.Describe(ctx, k)
		if err != nil || !r.Healthy() {
			var buf strings.Builder
			_ = r.WriteText(&buf)
			t.Fatalf("not healthy right after Bringup (err %v):\n%s", err, buf.String())
		}
		if r.Addons.ArgoRollouts.Image != images.LocalSet().ArgoRollouts {
			t.Errorf("controller image %s", r.Addons.ArgoRollouts.Image)
		}
	})
	t.Run("second up reuses", func(t *testing.T) {
		created, err := k.Up(ctx)
		if err != nil || created {
			t.Fatalf("Up on a healthy cluster: created=%v err=%v", created, err)
		}
	})
	t.Run("scrape interval reload", func(t *testing.T) {
		for _, d := range []time.Duration{2 * time.Second, time.Second} {
			if err := addons.SetScrapeInterval(ctx, env.Clients, d, time.Minute); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("canary rollout", func(t *testing.T) { testCanary(t, ctx, env) })
}

// testCanary deploys faultapp as a Rollout behind the first traffic-entry
// NodePort, sends bounded traffic to it through 127.0.0.1, and releases a
// good then a bad revision whose AnalysisTemplate asks Prometheus (by
// Service DNS name) for the canary's error ratio.
func testCanary(t *testing.T, ctx context.Context, env *cluster.Environment) {
	label := labelValue(t.Name())
	ns := regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower("it-"+label), "-")
	ns = strings.Trim(ns[:min(len(ns), 50)], "-")
	c := env.Clients
	t.Cleanup(func() {
		if t.Failed() {
			dumpRollout(t, env, ns)
		}
		_ = c.Kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{})
	})
	entry := env.Ports.Entries[0]
	apply(t, ctx, c, fmt.Sprintf(canaryObjects, ns, TestLabel, label, entry.NodePort, addons.PrometheusInClusterURL), "v1", "")
	waitRollout(t, ctx, env, ns, "v1 healthy", func(r *unstructured.Unstructured) bool { return healthy(r) })

	stopLoad := startLoad(t, entry.URL())
	defer stopLoad()

	t.Run("prometheus sees faultapp pods", func(t *testing.T) {
		q := fmt.Sprintf(`up{job="faultapp",namespace=%q}`, ns)
		var samples []addons.Sample
		err := pollUntil(ctx, time.Minute, func() bool {
			samples = hostQuery(t, env.PrometheusHostURL(), q)
			return len(samples) > 0 && samples[0].Value == 1
		})
		if err != nil {
			t.Fatalf("no faultapp target up (last %+v): %v", samples, err)
		}
		if m := samples[0].Metric; m["pod"] == "" || m["rollouts_pod_template_hash"] == "" || m["namespace"] != ns {
			t.Errorf("target labels %v lack pod/rollouts_pod_template_hash/namespace", m)
		}
	})

	t.Run("good revision promoted", func(t *testing.T) {
		apply(t, ctx, c, fmt.Sprintf(canaryObjects, ns, TestLabel, label, entry.NodePort, addons.PrometheusInClusterURL), "v2", "")
		waitRollout(t, ctx, env, ns, "v2 healthy", func(r *unstructured.Unstructured) bool {
			return healthy(r) && imageEnv(r) == "v2"
		})
		if phase := lastAnalysisPhase(t, ctx, env, ns); phase != "Successful" {
			t.Errorf("analysis of v2 ended %s", phase)
		}
	})

	t.Run("bad revision aborted", func(t *testing.T) {
		apply(t, ctx, c, fmt.Sprintf(canaryObjects, ns, TestLabel, label, entry.NodePort, addons.PrometheusInClusterURL),
			"v3", `{"errors":{"rate":1.0,"status":500}}`)
		waitRollout(t, ctx, env, ns, "v3 aborted", func(r *unstructured.Unstructured) bool {
			abort, _, _ := unstructured.NestedBool(r.Object, "status", "abort")
			return abort
		})
		if phase := lastAnalysisPhase(t, ctx, env, ns); phase != "Failed" {
			t.Errorf("analysis of v3 ended %s, want Failed (measured, not errored)", phase)
		}
		evs, err := c.Kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: "reason=RolloutAborted"})
		if err != nil || len(evs.Items) == 0 {
			t.Errorf("no RolloutAborted event (%v)", err)
		} else {
			t.Logf("RolloutAborted: %s", evs.Items[0].Message)
		}
	})
}

// canaryObjects: namespace, entry Service, AnalysisTemplate, Rollout.
// Arguments: namespace, label key, label value, node port, Prometheus URL;
// then VERSION and FAULTS are substituted by apply.
const canaryObjects = `
apiVersion: v1
kind: Namespace
metadata: {name: %[1]s, labels: {%[2]s: %[3]q}}
---
apiVersion: v1
kind: Service
metadata: {name: faultapp-entry, namespace: %[1]s, labels: {%[2]s: %[3]q}}
spec:
  type: NodePort
  selector: {app.kubernetes.io/name: faultapp}
  ports: [{name: http, port: 80, targetPort: http, nodePort: %[4]d}]
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: error-ratio, namespace: %[1]s, labels: {%[2]s: %[3]q}}
spec:
  args: [{name: canary-hash}]
  metrics:
  - name: error-ratio
    initialDelay: 10s
    interval: 3s
    count: 4
    failureLimit: 0
    successCondition: len(result) > 0 && result[0] <= 0.05
    provider:
      prometheus:
        address: %[5]s
        query: |
          (sum(rate(http_request_duration_seconds_count{namespace="%[1]s",rollouts_pod_template_hash="{{args.canary-hash}}",status_code=~"5.."}[10s])) or vector(0))
          / sum(rate(http_request_duration_seconds_count{namespace="%[1]s",rollouts_pod_template_hash="{{args.canary-hash}}"}[10s]))
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: faultapp, namespace: %[1]s, labels: {%[2]s: %[3]q}}
spec:
  replicas: 2
  revisionHistoryLimit: 3
  selector: {matchLabels: {app.kubernetes.io/name: faultapp}}
  template:
    metadata: {labels: {app.kubernetes.io/name: faultapp, %[2]s: %[3]q}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: faultapp
        image: ` + "coalmine/faultapp:dev" + `
        imagePullPolicy: IfNotPresent
        env: [{name: VERSION, value: "@VERSION@"}, {name: FAULTS, value: '@FAULTS@'}, {name: SEED, value: "1"}]
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /readyz, port: http}, periodSeconds: 1}
  strategy:
    canary:
      steps:
      - setWeight: 50
      - analysis:
          templates: [{templateName: error-ratio}]
          args: [{name: canary-hash, valueFrom: {podTemplateHashValue: Latest}}]
`

// labelValue turns a test name into a label value.
func labelValue(name string) string {
	v := regexp.MustCompile(`[^a-zA-Z0-9_.]+`).ReplaceAllString(name, "-")
	return strings.Trim(v[:min(len(v), 63)], "-_.")
}

func apply(t *testing.T, ctx context.Context, c *addons.Clients, tmpl, version, faults string) {
	t.Helper()
	doc := strings.NewReplacer("@VERSION@", version, "@FAULTS@", faults).Replace(tmpl)
	objs, err := addons.DecodeObjects([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Apply(ctx, objs...); err != nil {
		t.Fatal(err)
	}
}

func healthy(r *unstructured.Unstructured) bool {
	phase, _, _ := unstructured.NestedString(r.Object, "status", "phase")
	stable, _, _ := unstructured.NestedString(r.Object, "status", "stableRS")
	current, _, _ := unstructured.NestedString(r.Object, "status", "currentPodHash")
	// Argo Rollouts reports observedGeneration as a string.
	observed, _, _ := unstructured.NestedFieldNoCopy(r.Object, "status", "observedGeneration")
	return phase == "Healthy" && stable != "" && stable == current && fmt.Sprint(observed) == fmt.Sprint(r.GetGeneration())
}

func imageEnv(r *unstructured.Unstructured) string {
	cs, _, _ := unstructured.NestedSlice(r.Object, "spec", "template", "spec", "containers")
	for _, c := range cs {
		env, _ := c.(map[string]any)["env"].([]any)
		for _, e := range env {
			if m := e.(map[string]any); m["name"] == "VERSION" {
				return fmt.Sprint(m["value"])
			}
		}
	}
	return ""
}

func waitRollout(t *testing.T, ctx context.Context, env *cluster.Environment, ns, what string, cond func(*unstructured.Unstructured) bool) {
	t.Helper()
	var last *unstructured.Unstructured
	err := pollUntil(ctx, 5*time.Minute, func() bool {
		r, err := env.Clients.Dynamic.Resource(rolloutGVR).Namespace(ns).Get(ctx, "faultapp", metav1.GetOptions{})
		if err != nil {
			return false
		}
		last = r
		return cond(r)
	})
	if err != nil {
		phase, msg := "", ""
		if last != nil {
			phase, _, _ = unstructured.NestedString(last.Object, "status", "phase")
			msg, _, _ = unstructured.NestedString(last.Object, "status", "message")
		}
		t.Fatalf("rollout not %s (phase %s: %s): %v", what, phase, msg, err)
	}
}

func lastAnalysisPhase(t *testing.T, ctx context.Context, env *cluster.Environment, ns string) string {
	t.Helper()
	runs, err := env.Clients.Dynamic.Resource(analysisRunGVR).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var newest *unstructured.Unstructured
	for i := range runs.Items {
		r := &runs.Items[i]
		if newest == nil || r.GetCreationTimestamp().After(newest.GetCreationTimestamp().Time) {
			newest = r
		}
	}
	if newest == nil {
		return "absent"
	}
	phase, _, _ := unstructured.NestedString(newest.Object, "status", "phase")
	return phase
}

// startLoad sends GETs to url at about 40/s until stopped, at most 10
// minutes or 30000 requests: traffic only to 127.0.0.1.
func startLoad(t *testing.T, base string) func() {
	t.Helper()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("load target %s is not 127.0.0.1", base)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		client := &http.Client{Timeout: 2 * time.Second}
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 30000; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/catalog", nil)
			req.Header.Set("X-User-ID", fmt.Sprintf("u%d", i%50))
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// hostQuery asks Prometheus through its 127.0.0.1 port mapping.
func hostQuery(t *testing.T, base, q string) []addons.Sample {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&r) != nil {
		return nil
	}
	var out []addons.Sample
	for _, s := range r.Data.Result {
		var v float64
		fmt.Sscan(fmt.Sprint(s.Value[1]), &v)
		out = append(out, addons.Sample{Metric: s.Metric, Value: v})
	}
	return out
}

func pollUntil(ctx context.Context, timeout time.Duration, cond func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// dumpRollout logs the Rollout, AnalysisRuns and events of ns.
func dumpRollout(t *testing.T, env *cluster.Environment, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, gvr := range []schema.GroupVersionResource{rolloutGVR, analysisRunGVR} {
		list, err := env.Clients.Dynamic.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Logf("list %s: %v", gvr.Resource, err)
			continue
		}
		for _, o := range list.Items {
			unstructured.RemoveNestedField(o.Object, "metadata", "managedFields")
			b, _ := yaml.Marshal(o.Object)
			t.Logf("--- %s %s\n%s", gvr.Resource, o.GetName(), b)
		}
	}
	evs, err := env.Clients.Kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Logf("events: %v", err)
		return
	}
	for _, e := range evs.Items {
		t.Logf("event %s %s/%s: %s: %s", e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, e.Message)
	}
	pods, _ := env.Clients.Kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	for _, p := range pods.Items {
		t.Logf("pod %s %s ready=%v", p.Name, p.Status.Phase, podReady(&p))
	}
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// TestKindUpCancelled interrupts Up while kind is creating the cluster and
// checks that the half-made cluster is gone.
func TestKindUpCancelled(t *testing.T) {
	requireLocalImages(t)
	const name = "coalmine-it-cancel"
	k := kindProvider(t, name, cluster.NewPorts(cluster.PortOptions{PrometheusHostPort: 39190, EntryHostPort: 39180}))
	t.Cleanup(func() { _ = k.Down(context.Background()) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Cancel as soon as the node container exists.
		_ = pollUntil(ctx, 2*time.Minute, func() bool { return len(nodeContainers(t, name)) > 0 })
		cancel()
	}()
	_, err := k.Up(ctx)
	if err == nil {
		t.Fatal("Up succeeded despite cancellation")
	}
	t.Logf("Up: %v", err)
	if left := nodeContainers(t, name); len(left) > 0 {
		t.Fatalf("containers left after cancelled Up: %v", left)
	}
	if _, err := os.Stat(k.StateDir()); !os.IsNotExist(err) {
		t.Errorf("state dir %s left: %v", k.StateDir(), err)
	}
}
