package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/reports"
	"github.com/coalmine/coalmine/results"
)

// defaultCompareDir is where `coalmine report` writes a comparison of
// several result directories when --out is not given.
const defaultCompareDir = "coalmine-report"

// newReportCmd is `coalmine report`: render report.html, report.md and
// junit.xml from one or more results directories.
func newReportCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "report DIR... [--out DIR]",
		Short: "Render report.html, report.md and junit.xml from results.json",
		Long: "Read results.json from each DIR (a results directory or the file itself) and write\n" +
			"report.html (self-contained, with charts), report.md (for a PR comment or CI step\n" +
			"summary) and junit.xml (one test case per strategy and release). Several DIRs are\n" +
			"combined into one comparison. Without --out the reports go next to results.json for\n" +
			"one DIR, and to ./" + defaultCompareDir + " for several.",
		Example: "  coalmine report runs/peak-only-bug\n" +
			"  coalmine report runs/monday runs/tuesday --out compare",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			runs, err := results.ReadAll(args)
			if err != nil {
				return err
			}
			dir := out
			if dir == "" {
				dir = defaultReportDir(args)
			}
			if err := reports.WriteAll(cmd.Context(), dir, runs...); err != nil {
				return err
			}
			passed, failed := 0, 0
			for _, r := range runs {
				p, f := r.ExpectationCounts()
				passed, failed = passed+p, failed+f
			}
			for _, name := range []string{reports.HTMLFile, reports.MarkdownFile, reports.JUnitFile} {
				fmt.Fprintln(g.streams.Out, filepath.Join(dir, name))
			}
			g.logger().Info("reports written", "runs", len(runs), "expectationsPassed", passed, "expectationsFailed", failed)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "directory to write the reports to")
	return cmd
}

// defaultReportDir is the results directory itself for one argument, and
// ./coalmine-report for several.
func defaultReportDir(args []string) string {
	if len(args) > 1 {
		return defaultCompareDir
	}
	if st, err := os.Stat(args[0]); err == nil && !st.IsDir() {
		return filepath.Dir(args[0])
	}
	return args[0]
}
