package loadgen

import (
	"cmp"
	"slices"
	"time"

	"github.com/coalmine/coalmine/results"
)

// DefaultAggregateWindow is how long a second stays open for records that
// complete late (more than any request timeout).
const DefaultAggregateWindow = 2 * time.Minute

// Aggregator turns Records into per-second, per-version aggregates
// (results.Second) incrementally, in memory bounded by the window: a
// second keeps its latency histogram only while it is among the last
// window seconds seen (by request start); then its percentiles are fixed.
// Records of an already closed second still count in its requests and
// errors but not in its percentiles (see Late). Not safe for concurrent
// use.
type Aggregator struct {
	window   int64
	versions map[string]*versionSeries
	last     *versionSeries
	late     uint64
}

// NewAggregator returns an Aggregator keeping seconds open for window
// (DefaultAggregateWindow when ≤ 0).
func NewAggregator(window time.Duration) *Aggregator {
	if window <= 0 {
		window = DefaultAggregateWindow
	}
	return &Aggregator{window: max(int64(window/time.Second), 1), versions: map[string]*versionSeries{}}
}

// versionSeries holds one version's seconds: a ring of open ones and the
// closed ones.
type versionSeries struct {
	version string
	open    []openSecond
	closed  []results.Second
	index   map[int64]int // closed second → index in closed
}

type openSecond struct {
	t        int64
	used     bool
	requests int
	errors   int
	h        *histogram
}

// Observe adds one record.
func (a *Aggregator) Observe(r *Record) {
	vs := a.series(r.Version)
	t := r.Start.Unix()
	s := &vs.open[mod(t, a.window)]
	if s.used && s.t > t {
		a.late++
		vs.addLate(t, r)
		return
	}
	if s.used && s.t < t {
		vs.close(s)
	}
	if !s.used {
		s.used, s.t = true, t
		if s.h == nil {
			s.h = new(histogram)
		}
	}
	s.requests++
	if r.Failed() {
		s.errors++
	}
	s.h.add(r.Latency)
}

// Late returns how many records arrived after their second had closed.
func (a *Aggregator) Late() uint64 { return a.late }

// Seconds returns every second seen, sorted by time then version; open
// seconds are included as they stand (the Aggregator stays usable).
func (a *Aggregator) Seconds() []results.Second {
	var out []results.Second
	for _, vs := range a.versions {
		out = append(out, vs.closed...)
		for i := range vs.open {
			if s := &vs.open[i]; s.used {
				out = append(out, second(vs.version, s))
			}
		}
	}
	slices.SortFunc(out, func(x, y results.Second) int {
		return cmp.Or(cmp.Compare(x.T, y.T), cmp.Compare(x.Version, y.Version))
	})
	return out
}

func (a *Aggregator) series(version string) *versionSeries {
	if a.last != nil && a.last.version == version {
		return a.last
	}
	vs, ok := a.versions[version]
	if !ok {
		vs = &versionSeries{version: version, open: make([]openSecond, a.window), index: map[int64]int{}}
		a.versions[version] = vs
	}
	a.last = vs
	return vs
}

// close moves an open second to the closed list and frees its slot.
func (vs *versionSeries) close(s *openSecond) {
	vs.index[s.t] = len(vs.closed)
	vs.closed = append(vs.closed, second(vs.version, s))
	s.used, s.requests, s.errors = false, 0, 0
	s.h.reset()
}

// addLate counts a record whose second is no longer open.
func (vs *versionSeries) addLate(t int64, r *Record) {
	i, ok := vs.index[t]
	if !ok {
		lat := nsToMs(float64(r.Latency))
		i = len(vs.closed)
		vs.index[t] = i
		vs.closed = append(vs.closed, results.Second{T: t, Version: vs.version, P50Ms: lat, P99Ms: lat})
	}
	vs.closed[i].Requests++
	if r.Failed() {
		vs.closed[i].Errors++
	}
}

func second(version string, s *openSecond) results.Second {
	return results.Second{
		T: s.t, Version: version, Requests: s.requests, Errors: s.errors,
		P50Ms: nsToMs(s.h.quantile(0.50)), P99Ms: nsToMs(s.h.quantile(0.99)),
	}
}

func mod(a, b int64) int64 { return ((a % b) + b) % b }
