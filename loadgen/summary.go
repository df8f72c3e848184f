package loadgen

import (
	"strconv"
	"time"
)

// UnknownVersion keys requests without an X-Coalmine-Version response
// header (no response at all, or another server) in summaries.
const UnknownVersion = "unknown"

// Summary is the outcome of an attack computed from its Records.
type Summary struct {
	Requests     uint64  `json:"requests"`
	Errors       uint64  `json:"errors"`
	SuccessRatio float64 `json:"success_ratio"`
	// AchievedRPS is the send rate: requests between the first and the
	// last request start, per second.
	AchievedRPS     float64 `json:"achieved_rps"`
	DurationSeconds float64 `json:"duration_seconds"`
	Latency         Latency `json:"latency_ms"`
	// ByVersion is keyed by serving version (UnknownVersion without one).
	ByVersion  map[string]VersionSummary `json:"by_version"`
	ByEndpoint map[string]Counts         `json:"by_endpoint"`
	// StatusCodes counts responses by HTTP status ("0": no response).
	StatusCodes map[string]uint64 `json:"status_codes"`
	// Users is the number of distinct users that sent requests.
	Users int `json:"users"`
	// Attack bounds and outcome, set by WithAttack.
	Stop        StopReason `json:"stop,omitempty"`
	Skipped     uint64     `json:"skipped"`
	MaxRequests uint64     `json:"max_requests,omitempty"`
	MaxWorkers  uint64     `json:"max_workers,omitempty"`
}

// Latency are latency statistics in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Counts are requests and errors.
type Counts struct {
	Requests uint64 `json:"requests"`
	Errors   uint64 `json:"errors"`
}

// VersionSummary is one serving version's share of a Summary.
type VersionSummary struct {
	Counts
	SuccessRatio float64 `json:"success_ratio"`
	Latency      Latency `json:"latency_ms"`
}

// WithAttack returns s completed with the attack's bounds and outcome.
func (s Summary) WithAttack(r AttackResult) Summary {
	s.Stop, s.Skipped, s.MaxRequests, s.MaxWorkers = r.Stop, r.Skipped, r.MaxRequests, r.MaxWorkers
	return s
}

// SummaryBuilder accumulates Records into a Summary in memory bounded by
// the number of versions, endpoints, status codes and users. Not safe for
// concurrent use.
type SummaryBuilder struct {
	all         histogram
	versions    map[string]*versionAcc
	endpoints   map[string]*Counts
	codes       map[int]uint64
	users       map[string]struct{}
	first, last time.Time
}

type versionAcc struct {
	h      histogram
	errors uint64
}

// NewSummaryBuilder returns an empty builder.
func NewSummaryBuilder() *SummaryBuilder {
	return &SummaryBuilder{versions: map[string]*versionAcc{}, endpoints: map[string]*Counts{},
		codes: map[int]uint64{}, users: map[string]struct{}{}}
}

// Observe adds one record.
func (b *SummaryBuilder) Observe(r *Record) {
	if b.all.n == 0 || r.Start.Before(b.first) {
		b.first = r.Start
	}
	if b.all.n == 0 || r.Start.After(b.last) {
		b.last = r.Start
	}
	b.all.add(r.Latency)
	v := b.versions[r.Version]
	if v == nil {
		v = &versionAcc{}
		b.versions[r.Version] = v
	}
	v.h.add(r.Latency)
	e := b.endpoints[r.Endpoint]
	if e == nil {
		e = &Counts{}
		b.endpoints[r.Endpoint] = e
	}
	e.Requests++
	if r.Failed() {
		v.errors++
		e.Errors++
	}
	b.codes[r.Status]++
	if r.User != "" {
		b.users[r.User] = struct{}{}
	}
}

// Summary returns the summary of the records observed so far.
func (b *SummaryBuilder) Summary() Summary {
	s := Summary{Requests: b.all.n, Latency: latencyOf(&b.all), ByVersion: map[string]VersionSummary{},
		ByEndpoint: map[string]Counts{}, StatusCodes: map[string]uint64{}, Users: len(b.users)}
	for name, v := range b.versions {
		if name == "" {
			name = UnknownVersion
		}
		s.Errors += v.errors
		c := Counts{Requests: v.h.n, Errors: v.errors}
		s.ByVersion[name] = VersionSummary{Counts: c, SuccessRatio: successRatio(c), Latency: latencyOf(&v.h)}
	}
	for name, c := range b.endpoints {
		s.ByEndpoint[name] = *c
	}
	for code, n := range b.codes {
		s.StatusCodes[strconv.Itoa(code)] = n
	}
	s.SuccessRatio = successRatio(Counts{Requests: s.Requests, Errors: s.Errors})
	if span := b.last.Sub(b.first).Seconds(); s.Requests > 1 && span > 0 {
		s.DurationSeconds = span
		s.AchievedRPS = float64(s.Requests-1) / span
	}
	return s
}

func successRatio(c Counts) float64 {
	if c.Requests == 0 {
		return 0
	}
	return float64(c.Requests-c.Errors) / float64(c.Requests)
}

func latencyOf(h *histogram) Latency {
	return Latency{
		P50: nsToMs(h.quantile(0.50)), P90: nsToMs(h.quantile(0.90)), P95: nsToMs(h.quantile(0.95)),
		P99: nsToMs(h.quantile(0.99)), Max: nsToMs(float64(h.max)), Mean: nsToMs(h.mean()),
	}
}
