package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/scenarios"
)

// newScenariosCmd is `coalmine scenarios`: list, show and lint scenarios
// and strategies.
func newScenariosCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List, show and lint scenarios and strategies",
	}
	cmd.AddCommand(newScenariosListCmd(g), newScenariosShowCmd(g), newScenariosLintCmd(g))
	return cmd
}

func newScenariosListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the library's scenarios and strategies",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(g.streams.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SCENARIO\tSTRATEGIES\tDESCRIPTION")
			for _, e := range scenarios.List() {
				s, err := scenarios.Load(e.Name)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", e.Name, strings.Join(s.Spec.Strategies, ","), e.Description)
			}
			fmt.Fprintln(w, "\t\t")
			fmt.Fprintln(w, "STRATEGY\tTYPE\tDESCRIPTION")
			for _, e := range scenarios.ListStrategies() {
				s, err := scenarios.LoadStrategy(e.Name)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%s\t%s\n", e.Name, s.Type(), e.Description)
			}
			return w.Flush()
		},
	}
}

func newScenariosShowCmd(g *globals) *cobra.Command {
	var (
		raw       bool
		timeScale float64
		scrape    time.Duration
	)
	cmd := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a scenario as run (defaulted) or a strategy (scaled with --time-scale)",
		Long: "Print a library or file scenario after defaulting (--raw: as written), or a strategy\n" +
			"as written, or scaled by --time-scale with the clamps listed.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showEntry(g.streams.Out, args[0], raw, timeScale, scrape)
		},
	}
	cmd.Flags().BoolVar(&raw, "raw", false, "print the file as written")
	cmd.Flags().Float64Var(&timeScale, "time-scale", 0, "strategies: scale durations by this factor (≥ 1)")
	cmd.Flags().DurationVar(&scrape, "scrape-interval", scenarios.DefaultScrapeInterval, "strategies: Prometheus scrape interval for --time-scale floors")
	return cmd
}

func showEntry(out io.Writer, ref string, raw bool, timeScale float64, scrape time.Duration) error {
	sc, scErr := scenarios.Load(ref)
	if scErr == nil {
		if raw {
			return printRaw(out, "scenario", ref)
		}
		b, err := sc.YAML()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "# %s (defaulted); longest run %s\n", sc.Source, sc.MaxDuration())
		_, err = out.Write(b)
		return err
	}
	st, stErr := scenarios.LoadStrategy(ref)
	if stErr != nil {
		var list scenarios.ErrorList
		if errors.As(scErr, &list) || !errors.As(stErr, &list) {
			return scErr
		}
		return stErr
	}
	if timeScale == 0 {
		_, err := out.Write(st.YAML)
		return err
	}
	scaled, err := scenarios.Scale(st, scenarios.ScaleOptions{Factor: timeScale, ScrapeInterval: scrape})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "# %s scaled by %g (scrape interval %s)\n", st.Source, timeScale, scrape)
	for _, c := range scaled.Clamps {
		fmt.Fprintf(out, "# clamped %s: %s/%g = %s -> %s (%s)\n", c.Path, c.Original, timeScale, c.Scaled, c.Used, c.Reason)
	}
	b, err := scaled.YAML()
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

func printRaw(out io.Writer, kind, ref string) error {
	b, err := scenarios.LibraryYAML(kind, ref)
	if err != nil {
		b, err = os.ReadFile(ref)
		if err != nil {
			return err
		}
	}
	_, err = out.Write(b)
	return err
}

func newScenariosLintCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check scenario and strategy files; print every problem as file:line: field: message",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				err := scenarios.Lint(path)
				if err == nil {
					continue
				}
				bad++
				var list scenarios.ErrorList
				if errors.As(err, &list) {
					for _, e := range list {
						fmt.Fprintln(g.streams.Out, e.Error())
					}
				} else {
					fmt.Fprintln(g.streams.Out, err.Error())
				}
			}
			if bad > 0 {
				return &ExitError{Code: 1, Err: fmt.Errorf("lint: %d of %d files have problems", bad, len(args))}
			}
			fmt.Fprintf(g.streams.Out, "%d files ok\n", len(args))
			return nil
		},
	}
}
