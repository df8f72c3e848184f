package addons

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// DefaultTimeout bounds each wait of an install.
const DefaultTimeout = 3 * time.Minute

// DeploymentRolledOut reports whether every replica of d's current
// generation is updated and available.
func DeploymentRolledOut(d *appsv1.Deployment) bool {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	if d.Status.ObservedGeneration < d.Generation {
		return false
	}
	available := false
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
			available = true
		}
	}
	return available && d.Status.UpdatedReplicas == want && d.Status.AvailableReplicas == want &&
		d.Status.Replicas == want
}

// WaitDeployment watches a Deployment until it is rolled out. On timeout
// the error says why its pods are not ready.
func WaitDeployment(ctx context.Context, kube kubernetes.Interface, ns, name string, timeout time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sel := fields.OneTermEqualSelector("metadata.name", name).String()
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = sel
			return kube.AppsV1().Deployments(ns).List(wctx, o)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = sel
			return kube.AppsV1().Deployments(ns).Watch(wctx, o)
		},
	}
	var last *appsv1.Deployment
	_, err := watchtools.UntilWithSync(wctx, lw, &appsv1.Deployment{}, nil, func(ev watch.Event) (bool, error) {
		d, ok := ev.Object.(*appsv1.Deployment)
		if !ok {
			return false, nil
		}
		last = d
		return DeploymentRolledOut(d), nil
	})
	if err == nil {
		return nil
	}
	why := "not found"
	if last != nil {
		why = fmt.Sprintf("%d/%d available", last.Status.AvailableReplicas, last.Status.Replicas)
		if pods := describePods(ctx, kube, ns, last.Spec.Selector); pods != "" {
			why += "; " + pods
		}
	}
	return fmt.Errorf("deployment %s/%s not ready within %s (%s): %w", ns, name, timeout, why, err)
}

// describePods summarises why the selected pods are not ready.
func describePods(ctx context.Context, kube kubernetes.Interface, ns string, sel *metav1.LabelSelector) string {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	pods, err := kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: s.String()})
	if err != nil {
		return ""
	}
	var parts []string
	for _, p := range pods.Items {
		parts = append(parts, p.Name+": "+podProblem(&p))
	}
	return strings.Join(parts, "; ")
}

// podProblem names the first reason a pod is not ready.
func podProblem(p *corev1.Pod) string {
	for _, cs := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		if w := cs.State.Waiting; w != nil {
			return fmt.Sprintf("%s waiting: %s %s", cs.Name, w.Reason, w.Message)
		}
		if t := cs.State.Terminated; t != nil && t.ExitCode != 0 {
			return fmt.Sprintf("%s terminated: %s (exit %d) %s", cs.Name, t.Reason, t.ExitCode, t.Message)
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Status != corev1.ConditionTrue && c.Message != "" {
			return fmt.Sprintf("%s: %s", c.Type, c.Message)
		}
	}
	return string(p.Status.Phase)
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// waitCRDsEstablished polls until every named CRD is Established.
func (c *Clients) waitCRDsEstablished(ctx context.Context, names []string, timeout time.Duration) error {
	pending := names
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		var still []string
		for _, n := range pending {
			u, err := c.Dynamic.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
			if err != nil || !conditionTrue(u.Object, "Established") {
				still = append(still, n)
			}
		}
		pending = still
		return len(pending) == 0, nil
	})
	if err != nil {
		return fmt.Errorf("CRDs not established within %s: %s: %w", timeout, strings.Join(pending, ", "), err)
	}
	return nil
}

// conditionTrue reports whether an unstructured object's status has
// condition typ with status True.
func conditionTrue(obj map[string]any, typ string) bool {
	status, _ := obj["status"].(map[string]any)
	conds, _ := status["conditions"].([]any)
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == typ && m["status"] == "True" {
			return true
		}
	}
	return false
}
