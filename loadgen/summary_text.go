package loadgen

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText writes s as a human-readable table.
func (s Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "requests      %d (%.1f/s over %.1fs, %d skipped, stop: %s)\n",
		s.Requests, s.AchievedRPS, s.DurationSeconds, s.Skipped, s.Stop)
	fmt.Fprintf(&b, "errors        %d (success ratio %.4f)\n", s.Errors, s.SuccessRatio)
	fmt.Fprintf(&b, "latency ms    p50 %.3f  p90 %.3f  p95 %.3f  p99 %.3f  max %.3f  mean %.3f\n",
		s.Latency.P50, s.Latency.P90, s.Latency.P95, s.Latency.P99, s.Latency.Max, s.Latency.Mean)
	fmt.Fprintf(&b, "users         %d\n\n", s.Users)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tREQUESTS\tERRORS\tSUCCESS\tP50 MS\tP99 MS")
	for _, v := range sortedKeys(s.ByVersion) {
		vs := s.ByVersion[v]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.4f\t%.3f\t%.3f\n", v, vs.Requests, vs.Errors, vs.SuccessRatio, vs.Latency.P50, vs.Latency.P99)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENDPOINT\tREQUESTS\tERRORS")
	for _, e := range sortedKeys(s.ByEndpoint) {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", e, s.ByEndpoint[e].Requests, s.ByEndpoint[e].Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
