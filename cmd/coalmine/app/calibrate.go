package app

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/internal/atomicfile"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/sim"
)

// newCalibrateCmd is `coalmine calibrate RUN_DIR...`.
func newCalibrateCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "calibrate RUN_DIR...",
		Short: "Fit the simulator's cluster delays from kind runs",
		Long: `Read the results.json of kind runs and fit the delays the simulator cannot take
from Argo's or Prometheus' code: pod start to available, the controller's
reaction, analysis creation, and the latency of healthy requests. Each is kept
as the observed samples, with which runs they came from. The library's
calibration (sim/calibration.json) is written this way.`,
		Example: "  coalmine calibrate _out/bad-release-5xx-* --out my-calibration.json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			runs, err := results.ReadAll(args)
			if err != nil {
				return err
			}
			names := make([]string, len(args))
			for i, a := range args {
				names[i] = filepath.Base(filepath.Clean(a))
			}
			c, err := sim.Fit(runs, names, time.Now())
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(c, "", "  ")
			if err != nil {
				return err
			}
			if err := atomicfile.WriteBytes(out, 0o644, append(b, '\n')); err != nil {
				return err
			}
			fmt.Fprintf(g.streams.Err, "calibration from %d runs written to %s (%d pod-ready, %d release, %d reconcile, %d analysis-start, %d latency samples)\n",
				len(runs), out, len(c.PodReady.Samples), len(c.Release.Samples), len(c.Reconcile.Samples), len(c.AnalysisStart.Samples), len(c.Latency.Samples)+len(c.LatencyTail.Samples))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "calibration.json", "file to write")
	return cmd
}
