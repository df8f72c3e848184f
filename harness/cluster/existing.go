package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/coalmine/coalmine/harness/addons"
)

// ExistingOptions select a cluster through a kubeconfig.
type ExistingOptions struct {
	// Kubeconfig is the file; the usual loading rules ($KUBECONFIG,
	// ~/.kube/config) when empty.
	Kubeconfig string
	// Context in that kubeconfig; its current context when empty.
	Context string
	// Timeout bounds waits; 3 minutes when zero.
	Timeout time.Duration
}

// Existing is the Provider of a cluster coalmine does not own: Up only
// checks it, Down removes only coalmine's own namespace (Prometheus) and
// leaves Argo Rollouts, which may predate coalmine, in place.
type Existing struct {
	o      ExistingOptions
	loader clientcmd.ClientConfig
}

var _ Provider = (*Existing)(nil)

// NewExisting returns the provider for an existing cluster.
func NewExisting(o ExistingOptions) *Existing {
	if o.Timeout == 0 {
		o.Timeout = 3 * time.Minute
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if o.Kubeconfig != "" {
		rules.ExplicitPath = o.Kubeconfig
	}
	loader := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.Context})
	return &Existing{o: o, loader: loader}
}

// Env implements Provider.
func (e *Existing) Env() string { return EnvExisting }

// Name implements Provider: the kubeconfig context.
func (e *Existing) Name() string {
	if e.o.Context != "" {
		return e.o.Context
	}
	raw, err := e.loader.RawConfig()
	if err != nil {
		return ""
	}
	return raw.CurrentContext
}

// Ports implements Provider: an existing cluster publishes nothing on the
// host; use the API server proxy (addons.PromClient) or port-forwards.
func (e *Existing) Ports() Ports { return Ports{} }

// RESTConfig implements Provider.
func (e *Existing) RESTConfig(context.Context) (*rest.Config, error) {
	cfg, err := e.loader.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig context %q: %w", e.o.Context, err)
	}
	return cfg, nil
}

// Kubeconfig implements Provider: the selected context, minified.
func (e *Existing) Kubeconfig(context.Context) ([]byte, error) {
	raw, err := e.loader.RawConfig()
	if err != nil {
		return nil, err
	}
	if e.o.Context != "" {
		raw.CurrentContext = e.o.Context
	}
	if err := clientcmdapi.MinifyConfig(&raw); err != nil {
		return nil, err
	}
	return clientcmd.Write(raw)
}

// Up implements Provider: the cluster must answer and have Ready nodes.
func (e *Existing) Up(ctx context.Context) (bool, error) {
	st, err := e.Status(ctx)
	if err != nil {
		return false, err
	}
	if st.Problem != "" {
		return false, fmt.Errorf("existing cluster %q: %s", st.Name, st.Problem)
	}
	cfg, err := e.RESTConfig(ctx)
	if err != nil {
		return false, err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return false, err
	}
	return false, WaitNodesReady(ctx, kube, e.o.Timeout)
}

// Down implements Provider: deletes namespace coalmine-system and waits
// until it is gone.
func (e *Existing) Down(ctx context.Context) error {
	cfg, err := e.RESTConfig(ctx)
	if err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	err = kube.CoreV1().Namespaces().Delete(ctx, addons.SystemNamespace, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete namespace %s: %w", addons.SystemNamespace, err)
	}
	err = wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, e.o.Timeout, true, func(ctx context.Context) (bool, error) {
		_, err := kube.CoreV1().Namespaces().Get(ctx, addons.SystemNamespace, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	})
	if err != nil {
		return errors.Join(fmt.Errorf("namespace %s still terminating", addons.SystemNamespace), err)
	}
	return nil
}

// Status implements Provider.
func (e *Existing) Status(ctx context.Context) (Status, error) {
	st := Status{Env: EnvExisting, Name: e.Name(), Context: e.Name()}
	cfg, err := e.RESTConfig(ctx)
	if err != nil {
		st.Problem = err.Error()
		return st, nil
	}
	st.Exists = true
	st.APIServer = cfg.Host
	if err := kubeStatus(ctx, cfg, &st); err != nil {
		st.Problem = err.Error()
	}
	return st, nil
}
