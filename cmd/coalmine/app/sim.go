package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/reports/markdown"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
	"github.com/coalmine/coalmine/sim"
)

// simOptions are the flags of `coalmine sim`.
type simOptions struct {
	strategies []string
	runs       int
	workers    int
	seed       int64
	out        string
	output     string
	sim        simFlags
}

// newSimCmd is `coalmine sim SCENARIO|FILE`.
func newSimCmd(g *globals) *cobra.Command {
	o := &simOptions{}
	cmd := &cobra.Command{
		Use:   "sim SCENARIO|FILE",
		Short: "Run a scenario's strategies many times in the simulator: catch and false-alarm rates with intervals",
		Long: `Simulate every strategy of the scenario --runs times in virtual time, each run
with its own seed derived from --seed, on all cores. Per strategy and release it
reports how often the release was caught (bad) or blocked (good) with a Wilson
95 % interval, and the spread of time to detect, restore and promote, excess
failed requests and users affected. Writes sim.json and sim.md to --out. The
same seed and runs give the same numbers. Ctrl-C stops the workers and writes
what finished, marked incomplete.`,
		Example: "  coalmine sim bad-release-5xx --runs 200\n" +
			"  coalmine sim good-release --strategy classic-steps --runs 1000 --time-scale 144 -o json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runSimCmd(cmd, g, o, args[0]) },
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.strategies, "strategy", nil, "strategies, comma-separated (default: the scenario's); library names or files")
	f.IntVar(&o.runs, "runs", 100, "runs per strategy")
	f.IntVar(&o.workers, "workers", runtime.NumCPU(), "runs at once")
	f.Int64Var(&o.seed, "seed", 1, "master seed (each run's seed is derived from it)")
	f.StringVar(&o.out, "out", "", "output directory (default _out/<scenario>-sim-<timestamp>)")
	f.StringVarP(&o.output, "output", "o", formatText, "output: text or json")
	o.sim.register(cmd)
	return cmd
}

func runSimCmd(cmd *cobra.Command, g *globals, o *simOptions, ref string) error {
	if err := checkFormat("--output", o.output); err != nil {
		return err
	}
	s, err := scenarios.Load(ref)
	if err != nil {
		return err
	}
	strategies, so, err := o.sim.inputs(s, o.strategies, o.seed)
	if err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join("_out", s.Metadata.Name+"-sim-"+time.Now().Format("20060102-150405"))
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	mc := sim.MonteCarlo{Options: so, Runs: o.runs, Workers: o.workers, Progress: simProgress(g, time.Now())}
	sum, err := mc.Run(cmd.Context(), s, strategies)
	if isTerminal(g.streams.Err) {
		fmt.Fprintln(g.streams.Err)
	}
	if err != nil {
		return err
	}
	return writeSim(cmd, g, o, sum)
}

// simProgress prints "runs done/total": redrawn at most every half second
// on a terminal, else a line every 10 seconds.
func simProgress(g *globals, start time.Time) func(done, total int) {
	last, every, lead, tail := time.Time{}, 10*time.Second, "", "\n"
	if isTerminal(g.streams.Err) {
		every, lead, tail = 500*time.Millisecond, "\r", ""
	}
	return func(done, total int) {
		if now := time.Now(); done == total || now.Sub(last) > every {
			last = now
			fmt.Fprintf(g.streams.Err, "%s• %d/%d runs (%s)%s", lead, done, total, now.Sub(start).Round(100*time.Millisecond), tail)
		}
	}
}

func writeSim(cmd *cobra.Command, g *globals, o *simOptions, sum *results.SimSummary) error {
	if err := results.WriteSim(o.out, sum); err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(o.out, "sim.md"))
	if err != nil {
		return err
	}
	if err := markdown.WriteSim(cmd.Context(), md, sum); err != nil {
		md.Close()
		return err
	}
	if err := md.Close(); err != nil {
		return err
	}
	err = writeAs(g.streams.Out, o.output, sum, func(w io.Writer) error { return markdown.WriteSim(cmd.Context(), w, sum) })
	if err != nil {
		return err
	}
	fmt.Fprintf(g.streams.Err, "• summary: %s (and sim.md)\n", filepath.Join(o.out, results.SimFileName))
	if !sum.Complete {
		return fmt.Errorf("incomplete: %s", sum.IncompleteReason)
	}
	return nil
}
