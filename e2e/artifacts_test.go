//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/yaml"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/deploy"
)

var (
	rolloutsGVR     = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
	analysisRunsGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "analysisruns"}
)

// logLimit bounds each container log saved (the newest bytes are kept).
const logLimit = 20 << 20

// dumpArtifacts saves, under $ARTIFACTS/<spec>/, what explains a failure:
// per namespace of the spec's runs the Rollouts and AnalysisRuns as YAML,
// the events and faultapp's pod logs; the Argo Rollouts controller's logs;
// and the node's logs as `kind export logs` writes them. Problems while
// dumping are reported, never turned into a second failure.
func (f *fixture) dumpArtifacts(ctx context.Context) {
	By("saving artifacts of the failed spec to " + f.dir)
	f.mu.Lock()
	runs := slices.Clone(f.runs)
	f.mu.Unlock()
	for _, r := range runs {
		for _, ns := range f.namespacesOf(ctx, r) {
			dir := filepath.Join(f.dir, "cluster", ns.Name)
			report(dumpObjects(ctx, dir, ns.Name, rolloutsGVR, "rollouts.yaml"))
			report(dumpObjects(ctx, dir, ns.Name, analysisRunsGVR, "analysisruns.yaml"))
			report(dumpEvents(ctx, dir, ns.Name))
			report(dumpLogs(ctx, filepath.Join(dir, "logs"), ns.Name, deploy.LabelName+"="+deploy.AppName))
		}
	}
	report(dumpLogs(ctx, filepath.Join(f.dir, "cluster", addons.ArgoNamespace), addons.ArgoNamespace,
		addons.LabelName+"="+addons.ArgoDeployment))
	report(dumpContention(ctx, filepath.Join(f.dir, "cluster", "contention.txt")))
	kp := kindcluster.NewProvider(kindcluster.ProviderWithDocker())
	report(kp.CollectLogs(suite.clusterName, filepath.Join(f.dir, "kind-logs")))
}

// dumpContention records what else loaded the machine at the failure:
// the load average and every coalmine run's namespaces on the cluster.
// Scores of runs that shared a busy node are not comparable.
func dumpContention(ctx context.Context, path string) error {
	var b strings.Builder
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(&b, "loadavg %s", la)
	}
	l, err := suite.clients.Kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: deploy.LabelRun})
	if err != nil {
		return fmt.Errorf("list run namespaces: %w", err)
	}
	for _, ns := range l.Items {
		fmt.Fprintf(&b, "%s  run=%s  created %s\n", ns.Name, ns.Labels[deploy.LabelRun], ns.CreationTimestamp.UTC().Format("15:04:05"))
	}
	return writeFile(path, b.String())
}

func report(err error) {
	if err != nil {
		fmt.Fprintf(GinkgoWriter, "artifacts: %v\n", err)
	}
}

// dumpObjects writes every object of gvr in ns as one YAML stream.
func dumpObjects(ctx context.Context, dir, ns string, gvr schema.GroupVersionResource, file string) error {
	l, err := suite.clients.Dynamic.Resource(gvr).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list %s in %s: %w", gvr.Resource, ns, err)
	}
	var b strings.Builder
	for _, o := range l.Items {
		y, err := yaml.Marshal(o.Object)
		if err != nil {
			return err
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return writeFile(filepath.Join(dir, file), b.String())
}

// dumpEvents writes the namespace's events, oldest first, one per line.
func dumpEvents(ctx context.Context, dir, ns string) error {
	l, err := suite.clients.Kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list events in %s: %w", ns, err)
	}
	evs := l.Items
	sort.SliceStable(evs, func(i, j int) bool { return eventTime(evs[i]).Time.Before(eventTime(evs[j]).Time) })
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "%s  %-7s %-28s %s/%s  %s (x%d)\n", eventTime(e).UTC().Format("15:04:05.000"), e.Type, e.Reason,
			e.InvolvedObject.Kind, e.InvolvedObject.Name, strings.TrimSpace(e.Message), max(e.Count, 1))
	}
	return writeFile(filepath.Join(dir, "events.txt"), b.String())
}

func eventTime(e corev1.Event) metav1.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp
	case !e.EventTime.IsZero():
		return metav1.Time{Time: e.EventTime.Time}
	}
	return e.CreationTimestamp
}

// dumpLogs writes the logs of every container of the selected pods, and
// of the previous instance of those that restarted.
func dumpLogs(ctx context.Context, dir, ns, selector string) error {
	pods, err := suite.clients.Kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return fmt.Errorf("list pods %s in %s: %w", selector, ns, err)
	}
	var errs []string
	for _, p := range pods.Items {
		for _, c := range p.Status.ContainerStatuses {
			if err := saveLog(ctx, dir, p, c.Name, false); err != nil {
				errs = append(errs, err.Error())
			}
			if c.RestartCount > 0 {
				if err := saveLog(ctx, dir, p, c.Name, true); err != nil {
					errs = append(errs, err.Error())
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("logs in %s: %s", ns, strings.Join(errs, "; "))
	}
	return nil
}

func saveLog(ctx context.Context, dir string, p corev1.Pod, container string, previous bool) error {
	limit := int64(logLimit)
	rc, err := suite.clients.Kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{
		Container: container, Previous: previous, LimitBytes: &limit, Timestamps: true,
	}).Stream(ctx)
	if err != nil {
		return fmt.Errorf("%s/%s: %w", p.Name, container, err)
	}
	defer rc.Close()
	name := p.Name + "_" + container
	if previous {
		name += ".previous"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	out, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = io.Copy(out, rc)
	return err
}

func writeFile(path, data string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(data), 0o644)
}
