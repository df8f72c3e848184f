package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/harness/run"
	"github.com/coalmine/coalmine/scenarios"
)

// runOptions are the flags of `coalmine run`.
type runOptions struct {
	target     clusterTarget
	strategies []string
	images     string
	out        string
	parallel   int
	keep       bool
	seed       int64
	runID      string
	sim        simFlags
}

// newRunCmd is `coalmine run SCENARIO|FILE`.
func newRunCmd(g *globals) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run SCENARIO|FILE",
		Short: "Run a scenario: release its versions under each strategy on a real cluster and score them",
		Long: `Bring the cluster up (idempotent), deploy faultapp as an Argo Rollout under each
strategy in its own namespace, drive the scenario's diurnal traffic, apply its
good and bad releases on the simulated day's schedule, watch what the Argo
Rollouts controller decides, and score every release from the per-request
records. Writes results.json, the records and the reports to --out and prints
a Markdown scoreboard. Exits 1 when an expectation of the scenario fails.`,
		Example: "  coalmine run bad-release-5xx --strategy classic-steps,rolling\n" +
			"  coalmine run ./my-scenario.yaml --images local --out _out/mine",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScenario(cmd, g, o, args[0]) },
	}
	o.target.register(cmd)
	o.sim.register(cmd)
	cmd.Flag("env").Usage = "environment: kind, existing, or sim (the virtual-time simulator: no cluster)"
	f := cmd.Flags()
	f.StringSliceVar(&o.strategies, "strategy", nil, "strategies to run, comma-separated (default: the scenario's); library names or files")
	f.StringVar(&o.images, "images", "", "image source: upstream or local (default: upstream if a registry answers, else local)")
	f.StringVar(&o.out, "out", "", "output directory (default _out/<scenario>-<timestamp>)")
	f.IntVar(&o.parallel, "parallel", 0, "strategies run at once (default: all)")
	f.BoolVar(&o.keep, "keep", false, "keep the strategies' namespaces after the run")
	f.Int64Var(&o.seed, "seed", 0, "master seed of traffic and fault decisions (default: random, recorded)")
	f.StringVar(&o.runID, "run-id", "", "run id: label coalmine.dev/run and namespace suffix, up to 12 of a-z, 0-9, - (default: random)")
	return cmd
}

func runScenario(cmd *cobra.Command, g *globals, o *runOptions, ref string) error {
	ctx := cmd.Context()
	s, err := scenarios.Load(ref)
	if err != nil {
		return err
	}
	if o.runID != "" {
		if err := run.ValidateRunID(o.runID); err != nil {
			return err
		}
	}
	if !cmd.Flags().Changed("seed") {
		o.seed = time.Now().UnixNano() % 1_000_000_000
	}
	if o.out == "" {
		o.out = filepath.Join("_out", s.Metadata.Name+"-"+time.Now().Format("20060102-150405"))
	}
	if o.target.env == envSim {
		return runSimulated(cmd, g, o, s)
	}
	progress := progressTo(g.streams.Err)
	c, set, err := prepareCluster(ctx, cmd, g, o, s, progress)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("running %s (seed %d) into %s", s.Metadata.Name, o.seed, o.out))
	start := time.Now()
	res, err := run.Run(ctx, run.Options{
		Scenario: s, Strategies: o.strategies, Cluster: *c, Image: set.Faultapp, OutDir: o.out,
		Parallel: o.parallel, Keep: o.keep, Seed: o.seed, RunID: o.runID,
		Progress: g.streams.Out, Interactive: isTerminal(g.streams.Out), Width: termWidth(g.streams.Out),
		Logger: g.logger(),
	})
	progress(fmt.Sprintf("run took %s", time.Since(start).Round(time.Second)))
	if err != nil {
		return err
	}
	if _, failed := res.ExpectationCounts(); failed > 0 {
		return &ExitError{Code: 1, Err: fmt.Errorf("%d expectation(s) of scenario %s failed", failed, s.Metadata.Name)}
	}
	return nil
}

// prepareCluster brings the environment up with the scenario's scrape
// interval and describes it for the run engine.
func prepareCluster(ctx context.Context, cmd *cobra.Command, g *globals, o *runOptions, s *scenarios.Scenario,
	progress func(string)) (*run.Cluster, images.Set, error) {
	src, err := chooseSource(cmd, g, o.images, o.target.env)
	if err != nil {
		return nil, images.Set{}, err
	}
	set, err := cluster.ImagesFor(src)
	if err != nil {
		return nil, set, err
	}
	p, err := o.target.provider(g, set, nil, progress)
	if err != nil {
		return nil, set, err
	}
	env, err := cluster.Bringup(ctx, p, addons.Options{
		Images: set, ScrapeInterval: s.Spec.ScrapeInterval.Duration, Progress: progress, Logger: g.logger(),
	})
	if err != nil {
		return nil, set, err
	}
	c, err := run.FromEnvironment(ctx, env, set)
	return &c, set, err
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && !strings.EqualFold(os.Getenv("TERM"), "dumb")
}

func termWidth(w any) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
