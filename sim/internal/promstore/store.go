package promstore

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/prometheus/prometheus/model/labels"
)

// DefaultJob is the scrape job of faultapp pods (addons.JobFaultapp).
const DefaultJob = faultapp.Job

// Metric names the store writes.
const (
	metricBucket   = faultapp.MetricRequestDuration + "_bucket"
	metricCount    = faultapp.MetricRequestDuration + "_count"
	metricSum      = faultapp.MetricRequestDuration + "_sum"
	metricInjected = faultapp.MetricFaultsInjected
	metricInfo     = faultapp.MetricInfo
	metricReady    = faultapp.MetricReady
	metricUp       = "up"
)

// faultKinds are the kind children faultapp pre-creates at zero.
var faultKinds = []string{faultapp.KindError, faultapp.KindLatency, faultapp.KindCPU, faultapp.KindLeak, faultapp.KindCrash}

// Target is one scraped faultapp pod.
type Target struct {
	// Namespace, Pod and Hash (the rollouts_pod_template_hash pod label)
	// become target labels; an empty one is left out, as relabelling
	// leaves out an empty label.
	Namespace, Pod, Hash string
	// Instance is the scraped address, e.g. "10.244.0.7:8080".
	Instance string
	// Version is faultapp's version label.
	Version string
	// Job is the scrape job; empty means DefaultJob.
	Job string
}

// TargetID names a target of one Store.
type TargetID int

// Store is the metric store of one simulated run. Create it with New.
type Store struct {
	mu       sync.RWMutex
	interval int64 // scrape interval, ms
	engine   engine
	targets  []*target
	live     []*target // targets whose series are not all released
	byName   map[string][]*series
	idents   map[string]bool
}

// New returns an empty store whose targets are scraped every interval
// (the scrape and rule evaluation interval of the simulated Prometheus).
func New(interval time.Duration) *Store {
	if interval <= 0 {
		panic(fmt.Sprintf("promstore: scrape interval %s is not positive", interval))
	}
	return &Store{
		interval: interval.Milliseconds(),
		engine:   engineFor(interval),
		byName:   map[string][]*series{},
		idents:   map[string]bool{},
	}
}

// target is the state of one scraped pod: what its process exports now
// and the series the store keeps for it.
type target struct {
	base     labels.Labels // target labels
	version  string
	last     int64 // time of the last scrape attempt, ms; never before one
	removed  bool
	up       *series
	info     *series
	ready    *series
	readyV   float64
	injected []*counter
	children map[childKey]*child
	order    []*child
}

// counter is one faultapp_faults_injected_total child.
type counter struct {
	kind string
	s    *series
	v    float64
}

// childKey names an http_request_duration_seconds child.
type childKey struct {
	method, path string
	status       int
}

// child is one http_request_duration_seconds child; series holds the
// bucket series (faultapp.DurationBuckets, then +Inf), _count and _sum.
type child struct {
	live    bool // created in the running process
	buckets []uint64
	count   uint64
	sum     float64
	series  []*series
}

// AddTarget adds a pod the simulated Prometheus scrapes. Its first scrape
// is the first Scrape call. It panics when a target with the same labels
// was added before: pod names are unique within a run.
func (s *Store) AddTarget(t Target) TargetID {
	if t.Job == "" {
		t.Job = DefaultJob
	}
	base := labels.New(withoutEmpty(
		labels.Label{Name: "job", Value: t.Job},
		labels.Label{Name: "instance", Value: t.Instance},
		labels.Label{Name: faultapp.TargetLabelNamespace, Value: t.Namespace},
		labels.Label{Name: faultapp.TargetLabelPod, Value: t.Pod},
		labels.Label{Name: faultapp.TargetLabelHash, Value: t.Hash},
	)...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idents[base.String()] {
		panic(fmt.Sprintf("promstore: target %s added twice", base))
	}
	s.idents[base.String()] = true
	tg := &target{base: base, version: t.Version, last: never, readyV: 1, children: map[childKey]*child{}}
	tg.up = newSeries(tg.labels(metricUp))
	tg.info = newSeries(tg.labels(metricInfo, "version", t.Version))
	tg.ready = newSeries(tg.labels(metricReady))
	for _, k := range faultKinds {
		tg.injected = append(tg.injected, &counter{kind: k, s: newSeries(tg.labels(metricInjected, "kind", k))})
	}
	s.targets = append(s.targets, tg)
	s.live = append(s.live, tg)
	return TargetID(len(s.targets) - 1)
}

func withoutEmpty(ls ...labels.Label) []labels.Label {
	return slices.DeleteFunc(ls, func(l labels.Label) bool { return l.Value == "" })
}

// labels returns the target labels plus the metric name and the given
// name/value pairs.
func (tg *target) labels(name string, pairs ...string) labels.Labels {
	b := labels.NewBuilder(tg.base)
	b.Set(labels.MetricName, name)
	for i := 0; i+1 < len(pairs); i += 2 {
		b.Set(pairs[i], pairs[i+1])
	}
	return b.Labels()
}

// get returns the target of id; it panics on an id of another store.
func (s *Store) get(id TargetID) *target {
	if id < 0 || int(id) >= len(s.targets) {
		panic(fmt.Sprintf("promstore: no target %d", id))
	}
	return s.targets[id]
}

// SetReady sets the pod's faultapp_ready gauge (1 when /readyz succeeds);
// a new target is ready, as faultapp is without a readiness fault.
func (s *Store) SetReady(id TargetID, ready bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg := s.get(id)
	tg.readyV = 0
	if ready {
		tg.readyV = 1
	}
}

// Injected adds n faults of kind (faultapp.KindError, ...) to the pod's
// faultapp_faults_injected_total. It panics on a kind faultapp does not
// have, as faultapp has no counter for it. A removed pod ignores it.
func (s *Store) Injected(id TargetID, kind string, n uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg := s.get(id)
	if tg.removed {
		return
	}
	for _, c := range tg.injected {
		if c.kind == kind {
			c.v += float64(n)
			return
		}
	}
	panic(fmt.Sprintf("promstore: faultapp has no fault kind %q", kind))
}

// Observe records count requests of method and path answered with status
// on the pod. buckets holds the non-cumulative number of those requests
// per latency bucket: buckets[i] counts latencies in
// (faultapp.DurationBuckets[i-1], faultapp.DurationBuckets[i]] (the
// first from 0), and the last element those above the last bound (the
// +Inf bucket), so len(buckets) == len(faultapp.DurationBuckets)+1 and
// the elements sum to count. sum is their latency sum in seconds. The
// child is created by its first request (count > 0); a removed target
// ignores requests. Observe panics on malformed buckets.
func (s *Store) Observe(id TargetID, method, path string, status int, count uint64, buckets []uint64, sum float64) {
	if len(buckets) != len(faultapp.DurationBuckets)+1 {
		panic(fmt.Sprintf("promstore: %d latency buckets, want %d", len(buckets), len(faultapp.DurationBuckets)+1))
	}
	var total uint64
	for _, b := range buckets {
		total += b
	}
	if total != count {
		panic(fmt.Sprintf("promstore: latency buckets hold %d requests, count is %d", total, count))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tg := s.get(id)
	if count == 0 || tg.removed {
		return
	}
	c := tg.child(childKey{method, path, status})
	c.live = true
	for i, b := range buckets {
		c.buckets[i] += b
	}
	c.count += count
	c.sum += sum
}

// child returns the histogram child of k, making its series on first use.
func (tg *target) child(k childKey) *child {
	if c, ok := tg.children[k]; ok {
		return c
	}
	nb := len(faultapp.DurationBuckets) + 1
	c := &child{buckets: make([]uint64, nb), series: make([]*series, 0, nb+2)}
	code := strconv.Itoa(k.status)
	pairs := []string{faultapp.LabelMethod, k.method, faultapp.LabelPath, k.path, faultapp.LabelStatusCode, code,
		faultapp.LabelVersion, tg.version}
	for i := range nb {
		le := "+Inf"
		if i < len(faultapp.DurationBuckets) {
			le = labels.FormatOpenMetricsFloat(faultapp.DurationBuckets[i])
		}
		c.series = append(c.series, newSeries(tg.labels(metricBucket, append(pairs, "le", le)...)))
	}
	c.series = append(c.series, newSeries(tg.labels(metricCount, pairs...)), newSeries(tg.labels(metricSum, pairs...)))
	tg.children[k] = c
	tg.order = append(tg.order, c)
	return c
}

// Restart restarts the pod's container: counters start again from zero
// and histogram children are created again by their next request. The
// next successful scrape writes stale markers for the children it no
// longer finds. Scrapes while the container is down are ScrapeFailed.
func (s *Store) Restart(id TargetID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg := s.get(id)
	for _, c := range tg.injected {
		c.v = 0
	}
	for _, c := range tg.order {
		c.live, c.count, c.sum = false, 0, 0
		clear(c.buckets)
	}
}
