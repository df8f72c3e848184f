package scenarios

// This file holds the coalmine.dev/v1alpha1 Scenario API types. Their shape
// is a contract with the run engine (harness), loadgen and reports: add
// fields, never change the meaning of existing ones.
//
// Clocks. A scenario mixes two clocks and every field says which one it uses:
//
//   - Simulated clock time of day (ClockTime: startHour, at, peakHour,
//     changeAt, the 24-point hourly curve). One simulated day lasts
//     Traffic.DayLength of real time.
//   - Real (wall-clock) durations (every Duration field): dayLength, warmup,
//     scrapeInterval, timeouts, afterPrevious, spikeDuration and the
//     expectation bounds. Scores in results.json are real durations too, so
//     expectations compare like with like.
//
// Strategy durations (pauses, analysis intervals, PromQL windows) are written
// in production time and divided by the time scale when applied: see Scale.

import (
	"fmt"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"

	"github.com/coalmine/coalmine/faults"
	"go.yaml.in/yaml/v3"
)

// Group, version and kind of the Scenario API.
const (
	APIVersion = "coalmine.dev/v1alpha1"
	Kind       = "Scenario"
)

// Scenario is one coalmine scenario: traffic, the app, an ordered list of
// releases, the strategies to compare and what is expected of them.
type Scenario struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`

	// Source is where the scenario was loaded from: "library:NAME" or a
	// file path. Not part of the YAML.
	Source string `json:"-"`
	// Strategies are the resolved spec.strategies, in the same order,
	// filled by Load. Not part of the YAML.
	Strategies []*Strategy `json:"-"`
}

// Metadata names and describes a scenario.
type Metadata struct {
	// Name is a DNS-label-like name (lower case, digits, '-'), ≤ 40 chars.
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Spec is the body of a Scenario.
type Spec struct {
	Traffic Traffic `json:"traffic"`
	App     App     `json:"app"`
	// Releases are applied in order, one at a time, after the initial
	// stable version App.Version is deployed. In results.json, release
	// index 0 is the initial stable version and index k ≥ 1 is
	// Spec.Releases[k-1].
	Releases []Release `json:"releases"`
	// Strategies are library strategy names (see ListStrategies) or paths
	// to strategy files (relative paths resolve against the scenario
	// file's directory). Each is run in its own namespace, in parallel.
	Strategies []string `json:"strategies"`
	// TimeScale is how many simulated seconds pass per real second. Zero
	// means derive it: 24h / Traffic.DayLength. Strategy durations are
	// divided by it.
	TimeScale float64 `json:"timeScale,omitempty"`
	// ScrapeInterval is Prometheus' scrape (and evaluation) interval, real
	// time, ≥ 1s. Default 2s.
	ScrapeInterval Duration `json:"scrapeInterval,omitzero"`
	// Warmup is how long traffic runs against the initial stable version
	// before the first release (real time). Default 30s.
	Warmup Duration `json:"warmup,omitzero"`
	// ReleaseTimeout bounds each release (real time): if the rollout has
	// neither completed nor aborted by then, the release ends as a
	// timeout. Default 5m.
	ReleaseTimeout Duration `json:"releaseTimeout,omitzero"`
	// Cooldown is how long traffic keeps running after the last release
	// settles (real time), so that a promoted bad release is measured
	// later too, e.g. at the next daily peak. Default 30s.
	Cooldown Duration `json:"cooldown,omitzero"`
	// Expectations are checked against the scores of every (strategy,
	// release) pair they match. Scoring lives in package reports.
	Expectations []Expectation `json:"expectations,omitempty"`
}

// Profile is the shape of the request rate over time.
type Profile string

// Traffic profiles.
const (
	// ProfileDiurnal follows a daily curve between TroughRPS and PeakRPS:
	// a sine peaking at PeakHour, or the Hourly curve when given.
	ProfileDiurnal Profile = "diurnal"
	// ProfileConstant holds RPS.
	ProfileConstant Profile = "constant"
	// ProfileStep holds RPS until ChangeAt, then PeakRPS.
	ProfileStep Profile = "step"
	// ProfileSpike holds RPS, except PeakRPS for SpikeDuration from
	// ChangeAt.
	ProfileSpike Profile = "spike"
)

// Traffic is the load driven at each strategy's app (per strategy: every
// strategy gets the same traffic).
type Traffic struct {
	Profile Profile `json:"profile,omitempty"`
	// RPS is the rate of constant traffic and the base rate of step and
	// spike traffic (requests per real second).
	RPS float64 `json:"rps,omitempty"`
	// TroughRPS and PeakRPS bound the diurnal curve; PeakRPS is also the
	// raised rate of step and spike.
	TroughRPS float64 `json:"troughRPS,omitempty"`
	PeakRPS   float64 `json:"peakRPS,omitempty"`
	// DayLength is the real duration of one simulated day. Default 10m.
	DayLength Duration `json:"dayLength,omitzero"`
	// StartHour is the simulated time of day when traffic starts (the
	// warmup begins). Default 00:00.
	StartHour ClockTime `json:"startHour,omitzero"`
	// PeakHour is where the sine diurnal curve peaks. Default 12:00
	// (trough at 00:00). Ignored when Hourly is set.
	PeakHour *ClockTime `json:"peakHour,omitempty"`
	// Hourly, when set, is 24 relative levels in [0,1], one per simulated
	// hour starting 00:00; the rate is TroughRPS + level·(PeakRPS−TroughRPS),
	// linearly interpolated between hours (and from 23:00 back to 00:00).
	Hourly []float64 `json:"hourly,omitempty"`
	// ChangeAt is when step and spike traffic change (simulated time).
	ChangeAt *ClockTime `json:"changeAt,omitempty"`
	// SpikeDuration is how long a spike lasts (real time).
	SpikeDuration Duration `json:"spikeDuration,omitzero"`
	// Endpoints is the request mix. Default: DefaultEndpoints().
	Endpoints []Endpoint `json:"endpoints,omitempty"`
	// Users is the population requests are attributed to.
	Users Users `json:"users,omitzero"`
	// Timeout is the per-request timeout. Default 5s.
	Timeout Duration `json:"timeout,omitzero"`
	// Workers is vegeta's MaxWorkers (always bounded). Default 256: requests hanging until their timeout
	// during pod churn must not starve the attack (an open system, like users).
	Workers int `json:"workers,omitempty"`
}

// Endpoint is one entry of the request mix.
type Endpoint struct {
	// Name identifies the endpoint in records and faults (e.g. "checkout").
	Name string `json:"name"`
	// Method is the HTTP method. Default GET.
	Method string `json:"method,omitempty"`
	// Path is the request path, starting with '/'.
	Path string `json:"path"`
	// Weight is the relative share of requests (> 0).
	Weight float64 `json:"weight"`
}

// Users is the simulated user population. Each request carries an
// X-User-ID header drawn from Count users.
type Users struct {
	// Count is the number of distinct users. Default 1000; 0 after
	// defaulting never happens.
	Count int `json:"count,omitempty"`
	// Skew is the Zipf exponent s of user activity: 0 = uniform, larger
	// means a few users send most requests. Must be 0 or > 1 (Zipf).
	Skew float64 `json:"skew,omitempty"`
}

// App is the faultapp deployment every strategy runs.
type App struct {
	// Version is the initial stable version. Default "v1".
	Version string `json:"version,omitempty"`
	// Replicas of the Rollout. Default 5; at most 10 in the library.
	Replicas int32 `json:"replicas,omitempty"`
	// Resources of the faultapp container. Default requests 10m CPU /
	// 32Mi memory, limits 200m / 128Mi.
	Resources Resources `json:"resources,omitzero"`
	// Baseline is a fault every version carries (e.g. a 0.1 % error rate),
	// so that "excess over baseline" is meaningful. Optional.
	Baseline Fault `json:"baseline,omitzero"`
}

// Resources are Kubernetes container resources as quantity strings.
type Resources struct {
	Requests ResourceList `json:"requests,omitzero"`
	Limits   ResourceList `json:"limits,omitzero"`
}

// ResourceList holds CPU and memory quantities (e.g. "10m", "32Mi").
type ResourceList struct {
	CPU    Quantity `json:"cpu,omitempty"`
	Memory Quantity `json:"memory,omitempty"`
}

// Quantity is a Kubernetes quantity as written: like Kubernetes, a plain
// number (cpu: 2) is accepted as well as a string ("500m").
type Quantity string

// UnmarshalYAML accepts a string or a number.
func (q *Quantity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		return fmt.Errorf("want a quantity such as \"500m\" or 2, got %q", n.Value)
	}
	*q = Quantity(n.Value)
	return nil
}

// Release is one version of faultapp rolled out under every strategy.
type Release struct {
	// Version labels the release (e.g. "v2"); unique, not App.Version.
	Version string `json:"version"`
	// Description is a human note shown in reports.
	Description string `json:"description,omitempty"`
	// Fault is what goes wrong in this version (faultapp's fault model);
	// empty for a good release. Bad() derives good/bad from it.
	Fault Fault `json:"fault,omitzero"`
	// When the release is applied. Default: afterPrevious 0s.
	When When `json:"when,omitzero"`
}

// When says when a release is applied. Exactly one of At and AfterPrevious
// may be set; neither means AfterPrevious: 0s.
type When struct {
	// At is a simulated time of day. The release waits for the previous
	// one to settle (promoted, aborted or timed out) and then for the next
	// occurrence of At (the same day if still ahead, else the next day).
	At *ClockTime `json:"at,omitempty"`
	// AfterPrevious: the previous release settles (or, for the first
	// release, the warmup ends), then this much real time passes.
	AfterPrevious *Duration `json:"afterPrevious,omitempty"`
}

// Fault is a release's (or the app's baseline) fault model, decoded once
// when the scenario is read by the faults package, the one model faultapp
// runs: Decode returns it. The YAML is kept for its line numbers and to be
// shown as written (see fault.go).
type Fault struct {
	// Node is the fault as parsed (nil when absent). Line numbers refer to
	// the scenario file.
	Node *yaml.Node `json:"-"`

	// decoded and err are the outcome of decoding Node.
	decoded *faults.Faults
	err     error
}

// Expectation is one check of the scenario's outcome for every (strategy,
// release) pair it matches. Unset bounds are not checked.
type Expectation struct {
	// Strategy is a strategy name (as listed in spec.strategies: library
	// name, or a file's base name without extension) or "*" for all.
	// Default "*".
	Strategy string `json:"strategy,omitempty"`
	// Release is a release version or "*" for all releases. Default "*".
	Release string `json:"release,omitempty"`
	// Caught: true = the release must be aborted (a bad release caught);
	// false = it must not be (a bad release missed, or no false alarm).
	Caught *bool `json:"caught,omitempty"`
	// Promoted: true = the release must be fully promoted.
	Promoted *bool `json:"promoted,omitempty"`
	// MaxTimeToDetect bounds time to detect (fault onset → abort), real
	// time. Not detected at all fails the check.
	MaxTimeToDetect *Duration `json:"maxTimeToDetect,omitempty"`
	// MaxTimeToRestore bounds fault onset → last response served by the
	// bad version, real time.
	MaxTimeToRestore *Duration `json:"maxTimeToRestore,omitempty"`
	// MaxFailedRequests bounds the blast radius in requests: the failed
	// requests in excess of the baseline rate.
	MaxFailedRequests *int `json:"maxFailedRequests,omitempty"`
	// MaxUsersAffected bounds distinct users who saw a failure from the
	// release's version.
	MaxUsersAffected *int `json:"maxUsersAffected,omitempty"`

	// Line is the expectation's line in the scenario file (0 if unknown),
	// for messages. Not part of the YAML.
	Line int `json:"-"`
}

// Observation is what an evaluator (package reports) needs to judge the
// expectations for one (strategy, release) pair. The scenarios package
// defines it so that expectations and their inputs live side by side; it
// computes nothing itself.
type Observation struct {
	Strategy string
	Release  string
	// Bad is true when the release carries a fault.
	Bad bool
	// Aborted: the rollout was aborted (caught when Bad, a false alarm
	// otherwise). Promoted: it completed to the release's version.
	Aborted  bool
	Promoted bool
	// TimeToDetect and TimeToRestore are nil when it did not happen.
	TimeToDetect  *time.Duration
	TimeToRestore *time.Duration
	// ExcessFailedRequests is the failures above the baseline rate.
	ExcessFailedRequests float64
	UsersAffected        int
}

// Duration is a time.Duration written as a Go duration string ("90s",
// "10m", "1h30m") in YAML and JSON.
type Duration struct {
	time.Duration
}

// ClockTime is a time of the simulated day, written "HH:MM" (or a number
// of hours such as 13.5). Its value is the offset from midnight, in
// [0, 24h).
type ClockTime struct {
	time.Duration
}

// Strategy is one strategy file: an Argo Rollouts strategy block exactly as
// it appears under Rollout.spec.strategy, plus the AnalysisTemplates it
// references. On disk it is one multi-document YAML file: document 1 is a
// fragment of Rollout.spec holding `strategy: {canary: ...}` (or blueGreen)
// and optionally progressDeadlineSeconds and progressDeadlineAbort; the
// following documents are argoproj.io/v1alpha1 AnalysisTemplate objects. A
// user's file and a library file load the same way (LoadStrategy).
type Strategy struct {
	// Name is the library name, or the file's base name without extension.
	Name string
	// Source is "library:NAME" or the file path.
	Source string
	// Description is taken from the first document's leading comment.
	Description string
	// YAML is the file exactly as written (unscaled).
	YAML []byte
	// Spec is the value of `strategy:` in Argo Rollouts' own type.
	Spec v1alpha1.RolloutStrategy
	// Templates are the AnalysisTemplates, in file order.
	Templates []v1alpha1.AnalysisTemplate
	// ProgressDeadlineSeconds and ProgressDeadlineAbort are the optional
	// Rollout.spec fields of document 1 (nil / false when absent).
	ProgressDeadlineSeconds *int32
	ProgressDeadlineAbort   bool
}

// Blue-green Rollouts need Services; the run engine creates them with these
// names in each strategy's namespace, and blueGreen strategy files use them.
const (
	ActiveServiceName  = "faultapp"
	PreviewServiceName = "faultapp-preview"
)

// PrometheusAddress is the in-cluster Prometheus URL the library's
// AnalysisTemplates query; the cluster layer provides this Service.
const PrometheusAddress = "http://prometheus.coalmine-system.svc.cluster.local:9090"

// ScaleOptions control Scale.
type ScaleOptions struct {
	// Factor divides every duration (the scenario's time scale, ≥ 1).
	Factor float64
	// ScrapeInterval is Prometheus' scrape interval; it sets the floors:
	// analysis interval ≥ 2×, PromQL range windows ≥ 4×.
	ScrapeInterval time.Duration
	// PrometheusAddress, when set, replaces every prometheus provider's
	// address (for user strategy files that name their own Prometheus).
	PrometheusAddress string
}

// ScaledStrategy is a strategy with its durations divided by the time
// scale, ready to apply. The Strategy's own fields are not modified.
type ScaledStrategy struct {
	Name string
	// Spec goes under Rollout.spec.strategy.
	Spec v1alpha1.RolloutStrategy
	// Templates are complete AnalysisTemplate objects.
	Templates []v1alpha1.AnalysisTemplate
	// ProgressDeadlineSeconds is the Rollout.spec.progressDeadlineSeconds
	// to use: the strategy's (Argo's default 600 when unset) divided by the
	// time scale, kept generous (≥ MinProgressDeadline).
	ProgressDeadlineSeconds int32
	// ProgressDeadlineAbort is the Rollout.spec.progressDeadlineAbort to
	// use (from the strategy file).
	ProgressDeadlineAbort bool
	// Clamps lists every duration that hit a floor.
	Clamps []Clamp
}

// Clamp records one duration that Scale raised to its floor.
type Clamp struct {
	// Path locates the value, e.g.
	// "strategy.canary.steps[1].pause.duration" or
	// "AnalysisTemplate/success-rate: spec.metrics[0].interval".
	Path string
	// Original is the value as written, Scaled the plain division result,
	// Used the floor that was applied instead.
	Original string
	Scaled   time.Duration
	Used     time.Duration
	// Reason names the floor, e.g. "≥ 2×scrapeInterval".
	Reason string
}
