package addons

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// SetScrapeInterval re-renders the Prometheus configuration with scrape and
// evaluation interval every and waits (up to timeout) until Prometheus has
// loaded it. Prometheus keeps running and keeps its data.
func SetScrapeInterval(ctx context.Context, c *Clients, every, timeout time.Duration) error {
	cm, hash, err := PrometheusConfigMap(every)
	if err != nil {
		return err
	}
	if err := c.Apply(ctx, cm); err != nil {
		return err
	}
	return c.ensureConfigLoaded(ctx, hash, promDuration(every), timeout)
}

// ensureConfigLoaded makes the running Prometheus load the ConfigMap's
// current content: annotating the pod makes the kubelet sync its volumes
// now instead of within a minute or so, and /-/reload re-reads the file.
// It polls until the loaded configuration has the wanted interval.
func (c *Clients) ensureConfigLoaded(ctx context.Context, hash, interval string, timeout time.Duration) error {
	prom := c.Prometheus()
	if got, err := prom.LoadedScrapeInterval(ctx); err == nil && got == interval {
		return nil
	}
	if err := c.annotatePrometheusPods(ctx, hash); err != nil {
		return err
	}
	var got string
	err := wait.PollUntilContextTimeout(ctx, time.Second, timeout, true, func(ctx context.Context) (bool, error) {
		_ = prom.Reload(ctx)
		var err error
		got, err = prom.LoadedScrapeInterval(ctx)
		return err == nil && got == interval, nil
	})
	if err != nil {
		return fmt.Errorf("prometheus did not load scrape interval %s within %s (has %q): %w", interval, timeout, got, err)
	}
	return nil
}

func (c *Clients) annotatePrometheusPods(ctx context.Context, hash string) error {
	pods, err := c.Kube.CoreV1().Pods(SystemNamespace).List(ctx, metav1.ListOptions{LabelSelector: LabelName + "=" + PrometheusName})
	if err != nil {
		return fmt.Errorf("list prometheus pods: %w", err)
	}
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{ConfigHashAnnotation: hash}}})
	if err != nil {
		return err
	}
	for _, p := range pods.Items {
		if p.Annotations[ConfigHashAnnotation] == hash || p.DeletionTimestamp != nil {
			continue
		}
		if _, err := c.Kube.CoreV1().Pods(SystemNamespace).Patch(ctx, p.Name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
			return fmt.Errorf("annotate pod %s: %w", p.Name, err)
		}
	}
	return nil
}
