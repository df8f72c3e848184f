package promstore

import (
	"math"
	"sort"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
)

// staleNaN is the value of a Prometheus stale marker.
var staleNaN = math.Float64frombits(value.StaleNaN)

// never is the hideUntil of a series whose samples are all visible.
const never = math.MinInt64

// sample is one stored value at a timestamp in milliseconds.
type sample struct {
	t int64
	v float64
}

// series is one time series: its labels and its samples in time order.
type series struct {
	lset labels.Labels
	name string
	// buf[head:] are the samples; Trim advances head, and add reuses the
	// room before head instead of growing buf once it is at least half.
	buf  []sample
	head int
	// indexed is true while the series is listed in Store.byName, that is
	// while it has samples.
	indexed bool
	// exposed is true when the target's last scrape recorded the series:
	// the next scrape that misses it writes a stale marker.
	exposed bool
	// Samples at or after hideFrom are invisible to queries evaluated
	// before hideUntil: end-of-run stale markers are written late.
	hideFrom, hideUntil int64
}

func newSeries(lset labels.Labels) *series {
	return &series{lset: lset, name: lset.Get(labels.MetricName), hideUntil: never}
}

// samples returns the stored samples.
func (s *series) samples() []sample { return s.buf[s.head:] }

// add appends (t, v) unless t is not after the newest sample, as the TSDB
// rejects out-of-order and duplicate samples. It reports whether it did.
func (s *series) add(t int64, v float64) bool {
	if n := len(s.buf); n > s.head && s.buf[n-1].t >= t {
		return false
	}
	if len(s.buf) == cap(s.buf) && s.head > 0 && s.head >= len(s.buf)/2 {
		n := copy(s.buf, s.buf[s.head:])
		s.buf, s.head = s.buf[:n], 0
	}
	s.buf = append(s.buf, sample{t, v})
	return true
}

// trim drops the samples before t.
func (s *series) trim(t int64) {
	live := s.buf[s.head:]
	if len(live) == 0 || live[0].t >= t {
		return
	}
	s.head += sort.Search(len(live), func(i int) bool { return live[i].t >= t })
	if s.head == len(s.buf) {
		s.buf, s.head = s.buf[:0], 0
	}
}

// visible returns the samples a query evaluated at ms sees.
func (s *series) visible(ms int64) []sample {
	all := s.samples()
	if ms >= s.hideUntil {
		return all
	}
	n := sort.Search(len(all), func(i int) bool { return all[i].t >= s.hideFrom })
	return all[:n]
}

// view is a series as one query sees it; it implements storage.Series,
// and storage.Samples for the upstream list iterator.
type view struct {
	s       *series
	samples []sample
}

// Labels implements storage.Series.
func (v *view) Labels() labels.Labels { return v.s.lset }

// Iterator implements storage.Series with storage's list iterator (binary
// search in Seek), reusing it when the engine hands one back.
func (v *view) Iterator(it chunkenc.Iterator) chunkenc.Iterator {
	if r, ok := it.(interface{ Reset(storage.Samples) }); ok {
		r.Reset(v)
		return it
	}
	return storage.NewListSeriesIterator(v)
}

// Get implements storage.Samples.
func (v *view) Get(i int) chunks.Sample { return &v.samples[i] }

// Len implements storage.Samples.
func (v *view) Len() int { return len(v.samples) }

// T implements chunks.Sample.
func (s *sample) T() int64 { return s.t }

// ST implements chunks.Sample: no start timestamps are stored.
func (*sample) ST() int64 { return 0 }

// F implements chunks.Sample.
func (s *sample) F() float64 { return s.v }

// H implements chunks.Sample: the store holds floats only.
func (*sample) H() *histogram.Histogram { return nil }

// FH implements chunks.Sample: the store holds floats only.
func (*sample) FH() *histogram.FloatHistogram { return nil }

// Type implements chunks.Sample.
func (*sample) Type() chunkenc.ValueType { return chunkenc.ValFloat }

// Copy implements chunks.Sample.
func (s *sample) Copy() chunks.Sample {
	c := *s
	return &c
}
