package htmlreport

import (
	"math"

	"github.com/coalmine/coalmine/results"
)

// agg is one bucket of one version's per-second series.
type agg struct {
	requests, errors int
	p50Sum           float64 // request-weighted sum of per-second p50
	p99              float64 // max of per-second p99
}

// buckets holds per-version aggregates over [from, from+n·size) seconds.
type buckets struct {
	from, size int64
	n          int
	byVersion  map[string][]agg
}

// bucketSizes are the round bucket widths, in seconds.
var bucketSizes = []int64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}

// bucketSize is the smallest round width giving at most maxPoints buckets
// (whole hours beyond the round sizes).
func bucketSize(span int64, maxPoints int) int64 {
	for _, s := range bucketSizes {
		if span/s <= int64(maxPoints) {
			return s
		}
	}
	hours := (span/int64(maxPoints) + 3599) / 3600
	return hours * 3600
}

// bucketize aggregates the series seconds in [from, to) (Unix seconds).
func bucketize(series []results.Second, from, to int64, maxPoints int) *buckets {
	to = max(to, from+1)
	size := bucketSize(to-from, maxPoints)
	b := &buckets{from: from, size: size, n: int((to - from + size - 1) / size), byVersion: map[string][]agg{}}
	for _, s := range series {
		if s.T < from || s.T >= to {
			continue
		}
		aggs := b.byVersion[s.Version]
		if aggs == nil {
			aggs = make([]agg, b.n)
			b.byVersion[s.Version] = aggs
		}
		a := &aggs[(s.T-from)/size]
		a.requests += s.Requests
		a.errors += s.Errors
		a.p50Sum += s.P50Ms * float64(s.Requests)
		a.p99 = math.Max(a.p99, s.P99Ms)
	}
	return b
}

// x is the bucket's midpoint in Unix seconds.
func (b *buckets) x(i int) float64 { return float64(b.from) + (float64(i)+0.5)*float64(b.size) }

// total sums every version's bucket i; attributed leaves out requests
// without a version.
func (b *buckets) total(i int, attributed bool) (req, errs int) {
	for v, aggs := range b.byVersion {
		if attributed && v == "" {
			continue
		}
		req += aggs[i].requests
		errs += aggs[i].errors
	}
	return req, errs
}

// rolling sums f over the k buckets ending at i.
func rolling(i, k int, f func(j int) (num, den int)) (num, den int) {
	for j := max(0, i-k+1); j <= i; j++ {
		n, d := f(j)
		num += n
		den += d
	}
	return num, den
}
