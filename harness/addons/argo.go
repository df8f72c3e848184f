package addons

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/coalmine/coalmine/harness/pins"
)

// Argo Rollouts install facts.
const (
	ArgoNamespace  = "argo-rollouts"
	ArgoDeployment = "argo-rollouts"
	// ArgoMetricsPort is the controller's metrics port (container port
	// "metrics", Service argo-rollouts-metrics).
	ArgoMetricsPort = 8090
)

//go:embed manifests/argo-rollouts-install.yaml
var argoInstallYAML []byte

// ArgoCRDs are the CustomResourceDefinitions of the pinned install.
var ArgoCRDs = []string{
	"analysisruns.argoproj.io",
	"analysistemplates.argoproj.io",
	"clusteranalysistemplates.argoproj.io",
	"experiments.argoproj.io",
	"rollouts.argoproj.io",
}

var clusterScoped = map[string]bool{
	"CustomResourceDefinition": true, "ClusterRole": true, "ClusterRoleBinding": true, "Namespace": true,
}

var argoDecoded = sync.OnceValues(func() ([]*unstructured.Unstructured, error) {
	return DecodeObjects(argoInstallYAML)
})

// argoManifest returns a fresh copy of the vendored install manifest.
func argoManifest() ([]*unstructured.Unstructured, error) {
	objs, err := argoDecoded()
	if err != nil {
		return nil, fmt.Errorf("argo rollouts manifest: %w", err)
	}
	out := make([]*unstructured.Unstructured, len(objs))
	for i, o := range objs {
		out[i] = o.DeepCopy()
	}
	return out, nil
}

// UpstreamArgoRolloutsImage is the published controller image at the
// pinned version: the manifest's repository with pins.ArgoRollouts as tag
// (the manifest itself says :latest).
func UpstreamArgoRolloutsImage() (string, error) {
	objs, err := argoManifest()
	if err != nil {
		return "", err
	}
	c, err := argoContainer(objs)
	if err != nil {
		return "", err
	}
	img, _ := c["image"].(string)
	repo := img
	if i := strings.LastIndex(img, ":"); i > strings.LastIndex(img, "/") {
		repo = img[:i]
	}
	return repo + ":" + pins.ArgoRollouts, nil
}

// argoContainer returns the controller container of the manifest's
// Deployment (a map inside objs, so edits stick).
func argoContainer(objs []*unstructured.Unstructured) (map[string]any, error) {
	for _, o := range objs {
		if o.GetKind() != "Deployment" || o.GetName() != ArgoDeployment {
			continue
		}
		cs, _, _ := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
		for _, c := range cs {
			if m, ok := c.(map[string]any); ok && m["name"] == ArgoDeployment {
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("argo rollouts manifest: no %s container in Deployment %s", ArgoDeployment, ArgoDeployment)
}

// ArgoRolloutsObjects returns the pinned install, ready to apply: a
// Namespace first, every namespaced object in ArgoNamespace, coalmine's
// labels on everything, and the controller running image with pullPolicy.
func ArgoRolloutsObjects(image string, pullPolicy corev1.PullPolicy) ([]*unstructured.Unstructured, error) {
	objs, err := argoManifest()
	if err != nil {
		return nil, err
	}
	if err := setContainerImage(objs, image, pullPolicy); err != nil {
		return nil, err
	}
	labels := map[string]string{LabelManagedBy: ManagedBy, LabelVersion: pins.ArgoRollouts}
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(ArgoNamespace)
	out := []*unstructured.Unstructured{ns}
	for _, o := range objs {
		if !clusterScoped[o.GetKind()] {
			o.SetNamespace(ArgoNamespace)
		}
		out = append(out, o)
	}
	for _, o := range out {
		addLabels(o, labels)
	}
	return out, nil
}

// setContainerImage points the controller at image. The manifest's
// Deployment holds containers in a slice; it is written back whole.
func setContainerImage(objs []*unstructured.Unstructured, image string, pullPolicy corev1.PullPolicy) error {
	if image == "" {
		return fmt.Errorf("argo rollouts: empty controller image")
	}
	for _, o := range objs {
		if o.GetKind() != "Deployment" || o.GetName() != ArgoDeployment {
			continue
		}
		cs, _, _ := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
		found := false
		for _, c := range cs {
			if m, ok := c.(map[string]any); ok && m["name"] == ArgoDeployment {
				m["image"] = image
				m["imagePullPolicy"] = string(pullPolicy)
				found = true
			}
		}
		if !found {
			break
		}
		if err := unstructured.SetNestedSlice(o.Object, cs, "spec", "template", "spec", "containers"); err != nil {
			return err
		}
		tl, _, _ := unstructured.NestedStringMap(o.Object, "spec", "template", "metadata", "labels")
		tl[LabelVersion] = pins.ArgoRollouts
		return unstructured.SetNestedStringMap(o.Object, tl, "spec", "template", "metadata", "labels")
	}
	return fmt.Errorf("argo rollouts manifest: no %s container in Deployment %s", ArgoDeployment, ArgoDeployment)
}

// ArgoStatus is what is found of Argo Rollouts in a cluster.
type ArgoStatus struct {
	CRDs      bool   `json:"crds"`
	Namespace string `json:"namespace,omitempty"`
	Image     string `json:"image,omitempty"`
	Version   string `json:"version,omitempty"`
	Available bool   `json:"available"`
	Managed   bool   `json:"managedByCoalmine"`
}

// Installed reports whether a controller and all CRDs are there.
func (s ArgoStatus) Installed() bool { return s.CRDs && s.Image != "" }

// Pinned reports whether the controller runs the pinned version.
func (s ArgoStatus) Pinned() bool { return s.Version == pins.ArgoRollouts }

// DetectArgoRollouts finds Argo Rollouts: its CRDs, and a controller
// Deployment labelled app.kubernetes.io/name=argo-rollouts in any namespace,
// whose version is its app.kubernetes.io/version label or image tag.
func DetectArgoRollouts(ctx context.Context, c *Clients) (ArgoStatus, error) {
	var st ArgoStatus
	st.CRDs = true
	for _, n := range ArgoCRDs {
		_, err := c.Dynamic.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			st.CRDs = false
			break
		}
		if err != nil {
			return st, fmt.Errorf("look up CRD %s: %w", n, err)
		}
	}
	ds, err := c.Kube.AppsV1().Deployments("").List(ctx, metav1.ListOptions{LabelSelector: LabelName + "=" + ArgoDeployment})
	if err != nil {
		return st, fmt.Errorf("look for the argo rollouts controller: %w", err)
	}
	for _, d := range ds.Items {
		i := slices.IndexFunc(d.Spec.Template.Spec.Containers, func(c corev1.Container) bool { return c.Name == ArgoDeployment })
		if i < 0 {
			continue
		}
		st.Namespace = d.Namespace
		st.Image = d.Spec.Template.Spec.Containers[i].Image
		st.Version = d.Labels[LabelVersion]
		if st.Version == "" {
			st.Version = imageTag(st.Image)
		}
		st.Available = DeploymentRolledOut(&d)
		st.Managed = d.Labels[LabelManagedBy] == ManagedBy
		break
	}
	return st, nil
}

// imageTag returns the tag of an image reference ("" without one).
func imageTag(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	return ""
}
