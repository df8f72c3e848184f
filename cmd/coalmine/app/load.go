package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/coalmine/coalmine/loadgen"
)

// loadOptions are the flags of `coalmine load`.
type loadOptions struct {
	cfg                loadgen.AttackConfig
	spec               loadgen.ProfileSpec
	steps, hourly      string
	out, series, style string
	progress           bool
}

// profileFlags lists the flags each profile accepts.
var profileFlags = map[string][]string{
	loadgen.ProfileConstant: {"rate"},
	loadgen.ProfileDiurnal:  {"peak", "trough", "day", "start-hour", "peak-hour", "hourly"},
	loadgen.ProfileStep:     {"steps"},
	loadgen.ProfileSpike:    {"rate", "peak", "spike-at", "spike-for"},
}

// newLoadCmd is `coalmine load`: drive paced traffic at a target, record
// every request and print a summary.
func newLoadCmd(g *globals) *cobra.Command {
	o := &loadOptions{}
	cmd := &cobra.Command{
		Use:   "load --target URL --duration D --out FILE [profile flags]",
		Short: "Drive paced traffic (constant, diurnal, step, spike) at a target and record every request",
		Long: "Drive paced traffic at a faultapp (or any HTTP target) with vegeta, write one record per\n" +
			"request to --out as it completes, and print a summary (requests, errors, achieved rate,\n" +
			"latency percentiles, per serving version). Only loopback targets are accepted unless\n" +
			"--allow-remote is given.",
		Example: "  coalmine load --target http://127.0.0.1:8080 --rate 200 --duration 30s --out records.tsv\n" +
			"  coalmine load --target http://127.0.0.1:8080 --profile diurnal --trough 100 --peak 1000 \\\n" +
			"      --day 10m --start-hour 6 --duration 10m --out day.tsv --summary text",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLoad(cmd.Context(), g, cmd.Flags(), o) },
	}
	addLoadFlags(cmd.Flags(), o)
	for _, name := range []string{"target", "duration", "out"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func addLoadFlags(f *pflag.FlagSet, o *loadOptions) {
	f.StringVar(&o.cfg.Target, "target", "", "base URL, e.g. http://127.0.0.1:8080")
	f.BoolVar(&o.cfg.AllowRemote, "allow-remote", false, "allow a non-loopback target (the project's own containers only)")
	f.StringVar(&o.spec.Profile, "profile", loadgen.ProfileConstant, "traffic profile: constant, diurnal, step or spike")
	f.Float64Var(&o.spec.RPS, "rate", 0, "requests/s (constant), base rate (spike)")
	f.Float64Var(&o.spec.PeakRPS, "peak", 0, "peak requests/s (diurnal), spike rate (spike)")
	f.Float64Var(&o.spec.TroughRPS, "trough", 0, "trough requests/s (diurnal)")
	f.DurationVar(&o.spec.Day, "day", 10*time.Minute, "real duration of one 24 h day (diurnal)")
	f.Float64Var(&o.spec.StartHour, "start-hour", 0, "hour of the day when traffic starts, [0,24) (diurnal)")
	f.Float64Var(&o.spec.PeakHour, "peak-hour", 12, "hour of the sine's peak (diurnal)")
	f.StringVar(&o.hourly, "hourly", "", "24 comma-separated levels in [0,1] replacing the sine (diurnal)")
	f.StringVar(&o.steps, "steps", "", "DURATION:RATE,... e.g. 30s:100,1m:500 (step)")
	f.DurationVar(&o.spec.SpikeAt, "spike-at", 0, "when the spike starts (spike)")
	f.DurationVar(&o.spec.SpikeFor, "spike-for", 0, "how long the spike lasts (spike)")
	f.DurationVar(&o.cfg.Duration, "duration", 0, "attack duration (required)")
	f.Uint64Var(&o.cfg.MaxRequests, "max-requests", 0, "request bound (default: what the profile schedules over --duration)")
	f.Uint64Var(&o.cfg.MaxWorkers, "workers", loadgen.DefaultMaxWorkers, "maximum concurrent workers (and connections)")
	f.DurationVar(&o.cfg.Timeout, "timeout", loadgen.DefaultTimeout, "per-request timeout")
	f.DurationVar(&o.cfg.MaxLag, "max-lag", loadgen.DefaultMaxLag, "skip hits later than this (negative: never skip)")
	f.IntVar(&o.cfg.Users.Count, "users", loadgen.DefaultPopulation().Count, "number of users (X-User-ID)")
	f.Float64Var(&o.cfg.Users.Skew, "skew", loadgen.DefaultPopulation().Skew, "Zipf exponent of user activity (0 = uniform)")
	f.Int64Var(&o.cfg.Seed, "seed", 1, "seed of the endpoint and user draws")
	f.StringVar(&o.out, "out", "", "records file to write (required)")
	f.StringVar(&o.series, "series", "", "also write per-second, per-version aggregates as JSON here")
	f.StringVar(&o.style, "summary", "json", "summary format: json or text")
	f.BoolVar(&o.progress, "progress", false, "print live rate and errors per version to stderr every second")
}

func runLoad(ctx context.Context, g *globals, f *pflag.FlagSet, o *loadOptions) error {
	if err := o.complete(f); err != nil {
		return err
	}
	if err := o.cfg.Validate(); err != nil {
		return err
	}
	rec, err := loadgen.CreateRecorder(o.out, 0)
	if err != nil {
		return err
	}
	sum, agg, live := loadgen.NewSummaryBuilder(), loadgen.NewAggregator(0), loadgen.NewLiveStats()
	stopProgress := startProgress(ctx, o.progress, live, g.streams.Err)
	res, attackErr := loadgen.Attack(ctx, o.cfg, func(r *loadgen.Record) error {
		sum.Observe(r)
		agg.Observe(r)
		live.Observe(r)
		return rec.Write(r)
	})
	stopProgress()
	g.logger().Debug("attack ended", "stop", res.Stop, "requests", res.Requests, "skipped", res.Skipped)
	if err := errors.Join(rec.Close(), writeSeries(o.series, agg)); err != nil {
		return errors.Join(attackErr, err)
	}
	if err := o.printSummary(g.streams.Out, sum.Summary().WithAttack(res)); err != nil {
		return err
	}
	if errors.Is(attackErr, context.Canceled) {
		return &ExitError{Code: 130, Err: attackErr}
	}
	return attackErr
}

// complete validates the flags and builds the pacer.
func (o *loadOptions) complete(f *pflag.FlagSet) error {
	if err := checkFormat("--summary", o.style); err != nil {
		return err
	}
	allowed, ok := profileFlags[o.spec.Profile]
	if !ok {
		return fmt.Errorf("--profile %q: want constant, diurnal, step or spike", o.spec.Profile)
	}
	var errs []error
	for _, name := range allProfileFlags() {
		if f.Changed(name) && !slices.Contains(allowed, name) {
			errs = append(errs, fmt.Errorf("--%s does not apply to --profile %s", name, o.spec.Profile))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return o.buildPacer()
}

func (o *loadOptions) buildPacer() error {
	var err error
	if o.steps != "" {
		if o.spec.Steps, err = loadgen.ParseSteps(o.steps); err != nil {
			return fmt.Errorf("--steps: %w", err)
		}
	}
	if o.hourly != "" {
		if o.spec.Hourly, err = loadgen.ParseHourly(o.hourly); err != nil {
			return fmt.Errorf("--hourly: %w", err)
		}
	}
	o.cfg.Pacer, err = o.spec.Pacer()
	return err
}

// loadSummary is the printed summary: what ran, then the measurements.
type loadSummary struct {
	Target  string `json:"target"`
	Pacer   string `json:"pacer"`
	Seed    int64  `json:"seed"`
	Records string `json:"records"`
	loadgen.Summary
}

func (o *loadOptions) printSummary(w io.Writer, s loadgen.Summary) error {
	sum := loadSummary{Target: o.cfg.Target, Pacer: fmt.Sprint(o.cfg.Pacer), Seed: o.cfg.Seed, Records: o.out, Summary: s}
	return writeAs(w, o.style, sum, func(w io.Writer) error {
		fmt.Fprintf(w, "target        %s\npacer         %s\nrecords       %s\n", o.cfg.Target, o.cfg.Pacer, o.out)
		return s.WriteText(w)
	})
}

func writeSeries(path string, agg *loadgen.Aggregator) error {
	if path == "" {
		return nil
	}
	data, err := json.MarshalIndent(agg.Seconds(), "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write series: %w", err)
	}
	return nil
}

// startProgress prints live stats every second until the returned stop.
func startProgress(ctx context.Context, enabled bool, live *loadgen.LiveStats, w io.Writer) (stop func()) {
	if !enabled {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				fmt.Fprintln(w, progressLine(live.Snapshot(now, 1)))
			}
		}
	}()
	return func() { cancel(); <-done }
}

func progressLine(s loadgen.LiveSnapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %7.1f req/s  %5.2f%% errors", s.At.Format(time.TimeOnly), s.RPS, 100*s.ErrorRatio)
	for _, v := range s.Versions {
		name := v.Version
		if name == "" {
			name = loadgen.UnknownVersion
		}
		fmt.Fprintf(&b, "  | %s %.1f/s %.2f%%", name, v.RPS, 100*v.ErrorRatio)
	}
	return b.String()
}

// allProfileFlags returns every profile flag once, sorted.
func allProfileFlags() []string {
	var names []string
	for _, n := range profileFlags {
		names = append(names, n...)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
