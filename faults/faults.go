package faults

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"
)

// Faults is the fault model of a release: what goes wrong in this version.
// Every block is optional; a nil block is no fault of that kind, and the zero
// Faults is a good release. Zero-valued optional fields take the defaults
// documented on them (see Default). Faults marshals to YAML and JSON in the
// same shape Decode reads, so it can travel in the FAULTS env var.
type Faults struct {
	Errors    *ErrorFault     `json:"errors,omitempty" yaml:"errors,omitempty"`
	Latency   *LatencyFault   `json:"latency,omitempty" yaml:"latency,omitempty"`
	Crash     *CrashFault     `json:"crash,omitempty" yaml:"crash,omitempty"`
	Leak      *LeakFault      `json:"leak,omitempty" yaml:"leak,omitempty"`
	Readiness *ReadinessFault `json:"readiness,omitempty" yaml:"readiness,omitempty"`
	CPU       *CPUFault       `json:"cpu,omitempty" yaml:"cpu,omitempty"`
}

// ErrorFault makes requests fail with Status at Rate.
type ErrorFault struct {
	// Rate is the share of eligible requests that fail, in [0, 1].
	Rate float64 `json:"rate" yaml:"rate"`
	// Status is the HTTP status of an injected error, 400..599. Default 500.
	Status int `json:"status,omitempty" yaml:"status,omitempty"`
	// Paths limits errors to these route templates (see Routes).
	// Empty means every API route.
	Paths []string `json:"paths,omitempty" yaml:"paths,omitempty"`
	// Cohort limits errors to this share of users, in (0, 1], chosen by a
	// stable hash of the X-User-ID header (see InCohort). Requests without
	// a user ID are outside every cohort. 0 means all users and requests.
	Cohort float64 `json:"cohort,omitempty" yaml:"cohort,omitempty"`
	// MinRPS makes errors appear only while this instance serves more
	// than MinRPS API requests per second (averaged over the last 10 s,
	// MeterWindow): a bug that shows only under sustained peak load. 0
	// means always.
	MinRPS float64 `json:"minRPS,omitempty" yaml:"minRPS,omitempty"`
	// After is the onset delay, measured from process start.
	After Duration `json:"after,omitempty" yaml:"after,omitempty"`
}

// Latency distributions.
const (
	DistFixed     = "fixed"     // always Mean
	DistUniform   = "uniform"   // uniform in [Min, Max]
	DistNormal    = "normal"    // Mean + Stddev·N(0,1)
	DistLognormal = "lognormal" // log-normal with the given Mean and Stddev
	DistPareto    = "pareto"    // Pareto with minimum Scale and tail index Shape
)

// LatencyFault adds a delay, drawn from Distribution, to a Share of
// requests. Parameters by distribution:
//
//	fixed:     mean
//	uniform:   min, max (both required, min ≤ max)
//	normal:    mean, stddev
//	lognormal: mean, stddev (of the delay itself, not of its logarithm)
//	pareto:    scale (the minimum delay, x_m), shape (tail index α > 0)
//
// Every sample is then clamped to [Min, Max]; Min defaults to 0 and Max to
// 1m (a safety cap for heavy tails). Parameters a distribution does not use
// are rejected.
type LatencyFault struct {
	// Distribution is one of fixed, uniform, normal, lognormal, pareto.
	Distribution string   `json:"distribution" yaml:"distribution"`
	Mean         Duration `json:"mean,omitempty" yaml:"mean,omitempty"`
	Stddev       Duration `json:"stddev,omitempty" yaml:"stddev,omitempty"`
	Min          Duration `json:"min,omitempty" yaml:"min,omitempty"`
	Max          Duration `json:"max,omitempty" yaml:"max,omitempty"`
	Scale        Duration `json:"scale,omitempty" yaml:"scale,omitempty"`
	Shape        float64  `json:"shape,omitempty" yaml:"shape,omitempty"`
	// Share is the share of eligible requests delayed, in (0, 1].
	// Default 1.
	Share float64 `json:"share,omitempty" yaml:"share,omitempty"`
	// Paths limits the delay to these route templates. Empty means all.
	Paths []string `json:"paths,omitempty" yaml:"paths,omitempty"`
	// After is the onset delay, measured from process start.
	After Duration `json:"after,omitempty" yaml:"after,omitempty"`
}

// CrashFault makes the process exit with ExitCode after a duration, after
// a number of API requests, or whichever comes first when both are set.
// Under Kubernetes this is a crash loop.
type CrashFault struct {
	// After is measured from process start.
	After Duration `json:"after,omitempty" yaml:"after,omitempty"`
	// Requests: the process dies while serving its Requests-th API
	// request (counted from process start).
	Requests int64 `json:"requests,omitempty" yaml:"requests,omitempty"`
	// ExitCode is 1..255. Default 1.
	ExitCode int `json:"exitCode,omitempty" yaml:"exitCode,omitempty"`
}

// LeakFault retains memory on every API request, so memory grows until the
// container limit kills the process.
type LeakFault struct {
	// BytesPerRequest is retained per request, 1..64MiB.
	BytesPerRequest int64 `json:"bytesPerRequest" yaml:"bytesPerRequest"`
}

// ReadinessFault makes /readyz fail (503) from After on (measured from
// process start; 0 = never ready).
type ReadinessFault struct {
	After Duration `json:"after,omitempty" yaml:"after,omitempty"`
}

// CPUFault burns CPU on every API request.
type CPUFault struct {
	// PerRequest is the CPU time of busy work per request, > 0, ≤ 10s.
	PerRequest Duration `json:"perRequest" yaml:"perRequest"`
}

// IsZero reports whether f has no fault at all (a good release).
func (f *Faults) IsZero() bool {
	return f == nil || *f == Faults{}
}

// Clone returns a deep copy of f (nil for nil).
func (f *Faults) Clone() *Faults {
	if f == nil {
		return nil
	}
	c := Faults{
		Errors:    clonePtr(f.Errors),
		Latency:   clonePtr(f.Latency),
		Crash:     clonePtr(f.Crash),
		Leak:      clonePtr(f.Leak),
		Readiness: clonePtr(f.Readiness),
		CPU:       clonePtr(f.CPU),
	}
	if c.Errors != nil {
		c.Errors.Paths = slices.Clone(c.Errors.Paths)
	}
	if c.Latency != nil {
		c.Latency.Paths = slices.Clone(c.Latency.Paths)
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Encode returns f as compact JSON, the form the FAULTS env var
// carries ("{}" for no faults).
func Encode(f *Faults) ([]byte, error) {
	if f == nil {
		f = &Faults{}
	}
	data, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode faults: %w", err)
	}
	return data, nil
}

// Duration is a time.Duration written as a Go duration string ("250ms",
// "30s", "1m30s") in YAML and JSON.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats d like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string like \"30s\": %w", err)
	}
	return d.parse(s)
}

// MarshalYAML writes d as a duration string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.MappingNode:
		return fmt.Errorf("want a duration string like \"30s\", got a mapping")
	case n.Kind == yaml.SequenceNode:
		return fmt.Errorf("want a duration string like \"30s\", got a list")
	case n.ShortTag() == "!!null":
		return fmt.Errorf("want a duration string like \"30s\", got null")
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("want a duration string like \"30s\", got %q", n.Value)
	}
	*d = Duration(v)
	return nil
}

func (d *Duration) parse(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration string like \"30s\": %w", err)
	}
	*d = Duration(v)
	return nil
}
