package app

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// newClusterCmd is `coalmine cluster up|down|status`.
func newClusterCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Bring the coalmine cluster up, take it down, show its status",
	}
	cmd.AddCommand(newClusterUpCmd(g), newClusterDownCmd(g), newClusterStatusCmd(g))
	return cmd
}

// clusterTarget are the flags that select a cluster.
type clusterTarget struct {
	name        string
	env         string
	kubeContext string
	kubeconfig  string
}

func (t *clusterTarget) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.name, "name", cluster.DefaultName, "kind cluster name")
	cmd.Flags().StringVar(&t.env, "env", cluster.EnvKind, "environment: kind or existing")
	cmd.Flags().StringVar(&t.kubeContext, "context", "", "kubeconfig context of an existing cluster (--env existing)")
	cmd.Flags().StringVar(&t.kubeconfig, "kubeconfig", "", "kubeconfig file (--env existing: where to read; kind: where to write; default $KUBECONFIG or ~/.kube/config)")
}

// provider builds the selected provider; set and ports matter for kind only.
func (t *clusterTarget) provider(g *globals, set images.Set, ports *cluster.Ports, progress func(string)) (cluster.Provider, error) {
	switch t.env {
	case cluster.EnvKind:
		if t.kubeContext != "" {
			return nil, errors.New("--context selects an existing cluster: use it with --env existing")
		}
		return cluster.NewKind(cluster.KindOptions{
			Name: t.name, Images: set, Ports: ports, KubeconfigPath: t.kubeconfig,
			Logger: g.logger(), Progress: progress,
		})
	case cluster.EnvExisting:
		return cluster.NewExisting(cluster.ExistingOptions{Kubeconfig: t.kubeconfig, Context: t.kubeContext}), nil
	}
	return nil, fmt.Errorf("unknown --env %q (want %s or %s)", t.env, cluster.EnvKind, cluster.EnvExisting)
}

func progressTo(w io.Writer) func(string) {
	return func(s string) { fmt.Fprintln(w, "•", s) }
}

func newClusterUpCmd(g *globals) *cobra.Command {
	var (
		t              clusterTarget
		source         string
		promPort       int32
		entryPort      int32
		scrapeInterval time.Duration
	)
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Create (or reuse) the cluster and install Argo Rollouts, Prometheus and the CoreDNS check",
		Long: `Create the kind cluster (or check the existing one), load the local images into
it and install the pinned add-ons. A healthy cluster of the same name is reused.
--images defaults to upstream where an image registry answers and to local
(built by 'coalmine images build') otherwise; the choice is announced.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			start := time.Now()
			progress := progressTo(g.streams.Err)
			src, err := chooseSource(cmd, g, source, t.env)
			if err != nil {
				return err
			}
			set, err := cluster.ImagesFor(src)
			if err != nil {
				return err
			}
			var ports *cluster.Ports
			if cmd.Flags().Changed("prometheus-port") || cmd.Flags().Changed("entry-port") {
				p := cluster.NewPorts(cluster.PortOptions{PrometheusHostPort: promPort, EntryHostPort: entryPort})
				ports = &p
			}
			p, err := t.provider(g, set, ports, progress)
			if err != nil {
				return err
			}
			ao := addons.Options{Images: set, Progress: progress, Logger: g.logger()}
			if cmd.Flags().Changed("scrape-interval") {
				ao.ScrapeInterval = scrapeInterval
			}
			env, err := cluster.Bringup(ctx, p, ao)
			if err != nil {
				return err
			}
			return writeUpSummary(g.streams.Out, env, time.Since(start))
		},
	}
	t.register(cmd)
	cmd.Flags().StringVar(&source, "images", "", "image source: upstream or local (default: upstream if a registry answers, else local)")
	cmd.Flags().Int32Var(&promPort, "prometheus-port", addons.DefaultPrometheusNodePort, "host port (127.0.0.1) for Prometheus (kind)")
	cmd.Flags().Int32Var(&entryPort, "entry-port", cluster.DefaultEntryNodePort,
		fmt.Sprintf("first of %d host ports (127.0.0.1) for traffic-entry NodePorts %d-%d (kind)",
			cluster.DefaultEntryCount, cluster.DefaultEntryNodePort, cluster.DefaultEntryNodePort+cluster.DefaultEntryCount-1))
	cmd.Flags().DurationVar(&scrapeInterval, "scrape-interval", addons.DefaultScrapeInterval, "Prometheus scrape interval (at least 1s; a running Prometheus keeps its own unless given)")
	return cmd
}

// chooseSource resolves --images and announces the choice.
func chooseSource(cmd *cobra.Command, g *globals, flag, env string) (images.Source, error) {
	switch images.Source(flag) {
	case images.Upstream, images.Local:
		fmt.Fprintf(g.streams.Err, "• images: %s (from --images)\n", flag)
		return images.Source(flag), nil
	case "":
	default:
		return "", fmt.Errorf("unknown --images %q (want %s or %s)", flag, images.Upstream, images.Local)
	}
	if env == cluster.EnvExisting {
		fmt.Fprintf(g.streams.Err, "• images: %s (an existing cluster pulls its own images; pass --images to choose)\n", images.Upstream)
		return images.Upstream, nil
	}
	c := cluster.ChooseImages(cmd.Context(), doctor.Docker{})
	fmt.Fprintf(g.streams.Err, "• images: %s — %s; pass --images %s|%s to choose\n", c.Source, c.Reason, images.Upstream, images.Local)
	return c.Source, nil
}

func writeUpSummary(w io.Writer, env *cluster.Environment, took time.Duration) error {
	verb := "reused"
	if env.Created {
		verb = "created"
	}
	p := env.Provider
	fmt.Fprintf(w, "cluster %s/%s ready in %s (%s)\n", p.Env(), p.Name(), took.Round(100*time.Millisecond), verb)
	if k, ok := p.(*cluster.Kind); ok {
		fmt.Fprintf(w, "  kubectl context   %s\n", k.Context())
	}
	fmt.Fprintf(w, "  prometheus        %s (in-cluster)\n", env.PrometheusInClusterURL())
	if u := env.PrometheusHostURL(); u != "" {
		fmt.Fprintf(w, "                    %s (host)\n", u)
	}
	if n := len(env.Ports.Entries); n > 0 {
		fmt.Fprintf(w, "  traffic entries   127.0.0.1:%d-%d → NodePorts %d-%d\n", env.Ports.Entries[0].HostPort,
			env.Ports.Entries[n-1].HostPort, env.Ports.Entries[0].NodePort, env.Ports.Entries[n-1].NodePort)
	}
	_, err := fmt.Fprintf(w, "  add-ons           argo-rollouts %s; prometheus %s; coredns %s\n",
		env.Addons.ArgoRollouts, env.Addons.Prometheus, env.Addons.CoreDNS)
	return err
}

func newClusterDownCmd(g *globals) *cobra.Command {
	var t clusterTarget
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Delete the kind cluster (or coalmine's namespace on an existing cluster)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := t.provider(g, images.Set{}, nil, progressTo(g.streams.Err))
			if err != nil {
				return err
			}
			if err := p.Down(cmd.Context()); err != nil {
				return err
			}
			_, err = fmt.Fprintf(g.streams.Out, "cluster %s/%s is down\n", p.Env(), p.Name())
			return err
		},
	}
	t.register(cmd)
	return cmd
}

func newClusterStatusCmd(g *globals) *cobra.Command {
	var (
		t      clusterTarget
		output string
	)
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show node, Argo Rollouts, Prometheus and CoreDNS versions and health",
		Long:  "Show the cluster's state. Exits 1 when it is absent or unhealthy.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat("--output", output); err != nil {
				return err
			}
			p, err := t.provider(g, images.Set{}, nil, nil)
			if err != nil {
				return err
			}
			r, err := cluster.Describe(cmd.Context(), p)
			if err != nil {
				return err
			}
			if err := writeAs(g.streams.Out, output, r, r.WriteText); err != nil {
				return err
			}
			if !r.Healthy() {
				return &ExitError{Code: 1, Err: fmt.Errorf("cluster %s/%s is not healthy", p.Env(), p.Name())}
			}
			return nil
		},
	}
	t.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	return cmd
}
