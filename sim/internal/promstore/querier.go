package promstore

import (
	"context"
	"slices"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/annotations"
)

// queryable is the store as seen by a query evaluated at ms (which decides
// whether late-written stale markers are visible). The store's read lock
// is held while it is in use.
type queryable struct {
	s  *Store
	ms int64
}

// Querier implements storage.Queryable. The time range is ignored: the
// engine seeks to the samples it needs.
func (q queryable) Querier(_, _ int64) (storage.Querier, error) { return q, nil }

// Select implements storage.Querier. The result is always sorted.
func (q queryable) Select(_ context.Context, _ bool, _ *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	var out []storage.Series
	for _, list := range q.candidates(ms) {
		for _, sr := range list {
			if matches(sr.lset, ms) {
				if v := sr.visible(q.ms); len(v) > 0 {
					out = append(out, &view{s: sr, samples: v})
				}
			}
		}
	}
	return &seriesSet{list: out, i: -1}
}

// candidates returns the sorted series lists that may match ms: the one
// of the metric name when a matcher asks for one name, else all of them
// in name order (which is label order: __name__ sorts first).
func (q queryable) candidates(ms []*labels.Matcher) [][]*series {
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			return [][]*series{q.s.byName[m.Value]}
		}
	}
	names := make([]string, 0, len(q.s.byName))
	for n := range q.s.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([][]*series, len(names))
	for i, n := range names {
		out[i] = q.s.byName[n]
	}
	return out
}

func matches(lset labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(lset.Get(m.Name)) {
			return false
		}
	}
	return true
}

// LabelValues implements storage.LabelQuerier.
func (q queryable) LabelValues(_ context.Context, name string, _ *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	var vals []string
	q.each(ms, func(lset labels.Labels) {
		if v := lset.Get(name); v != "" {
			vals = append(vals, v)
		}
	})
	slices.Sort(vals)
	return slices.Compact(vals), nil, nil
}

// LabelNames implements storage.LabelQuerier.
func (q queryable) LabelNames(_ context.Context, _ *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	var names []string
	q.each(ms, func(lset labels.Labels) {
		lset.Range(func(l labels.Label) { names = append(names, l.Name) })
	})
	slices.Sort(names)
	return slices.Compact(names), nil, nil
}

// each calls f with the labels of every series with samples matching ms.
func (q queryable) each(ms []*labels.Matcher, f func(labels.Labels)) {
	for _, list := range q.candidates(ms) {
		for _, sr := range list {
			if matches(sr.lset, ms) {
				f(sr.lset)
			}
		}
	}
}

// Close implements storage.LabelQuerier.
func (queryable) Close() error { return nil }

// seriesSet is a sorted list of series; it implements storage.SeriesSet.
type seriesSet struct {
	list []storage.Series
	i    int
}

// Next implements storage.SeriesSet.
func (ss *seriesSet) Next() bool {
	ss.i++
	return ss.i < len(ss.list)
}

// At implements storage.SeriesSet.
func (ss *seriesSet) At() storage.Series { return ss.list[ss.i] }

// Err implements storage.SeriesSet.
func (*seriesSet) Err() error { return nil }

// Warnings implements storage.SeriesSet.
func (*seriesSet) Warnings() annotations.Annotations { return nil }
