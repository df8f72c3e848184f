package addons

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

// Apply applies objs in order with server-side apply (field manager
// FieldManager, conflicts forced): large CRDs such as Argo Rollouts' do not
// fit client-side apply's last-applied annotation.
func (c *Clients) Apply(ctx context.Context, objs ...*unstructured.Unstructured) error {
	for _, u := range objs {
		if err := c.applyOne(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// Resource returns the dynamic client for an object's kind, in its
// namespace when the kind is namespaced.
func (c *Clients) Resource(u *unstructured.Unstructured) (dynamic.ResourceInterface, error) {
	gvk := u.GroupVersionKind()
	m, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		// A CRD applied a moment ago: refresh discovery once.
		c.Mapper.Reset()
		m, err = c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", gvk, err)
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.Dynamic.Resource(m.Resource).Namespace(u.GetNamespace()), nil
	}
	return c.Dynamic.Resource(m.Resource), nil
}

func (c *Clients) applyOne(ctx context.Context, u *unstructured.Unstructured) error {
	ri, err := c.Resource(u)
	if err != nil {
		return err
	}
	if _, err := ri.Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: FieldManager, Force: true}); err != nil {
		return fmt.Errorf("apply %s: %w", objRef(u), err)
	}
	return nil
}
