package promstore

import (
	"slices"
	"time"

	"github.com/prometheus/prometheus/model/labels"
)

// Scrape records a successful scrape of the pod at t: the current value
// of every series its process exposes, up = 1, and stale markers for the
// series the previous scrape recorded and this one does not find. A scrape
// not after the pod's previous one, or of a removed pod, records nothing.
func (s *Store) Scrape(id TargetID, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg, ms, ok := s.scrapeAt(id, t)
	if !ok {
		return
	}
	s.expose(tg.info, ms, 1)
	s.expose(tg.ready, ms, tg.readyV)
	for _, c := range tg.injected {
		s.expose(c.s, ms, c.v)
	}
	for _, c := range tg.order {
		if !c.live {
			for _, sr := range c.series {
				s.stale(sr, ms)
			}
			continue
		}
		var cum uint64
		for i, b := range c.buckets {
			cum += b
			s.expose(c.series[i], ms, float64(cum))
		}
		s.expose(c.series[len(c.buckets)], ms, float64(c.count))
		s.expose(c.series[len(c.buckets)+1], ms, c.sum)
	}
	s.write(tg.up, ms, 1)
}

// scrapeAt starts a scrape of id at t: false for a removed pod or a time
// not after its previous scrape. s.mu is held.
func (s *Store) scrapeAt(id TargetID, t time.Time) (*target, int64, bool) {
	ms := t.UnixMilli()
	tg := s.get(id)
	if tg.removed || ms <= tg.last {
		return nil, 0, false
	}
	tg.last = ms
	return tg, ms, true
}

// ScrapeFailed records a failed scrape of the pod at t (its container is
// down): up = 0 and stale markers for every series the previous scrape
// recorded, as the scrape loop appends an empty scrape on error.
func (s *Store) ScrapeFailed(id TargetID, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg, ms, ok := s.scrapeAt(id, t)
	if !ok {
		return
	}
	tg.each(func(sr *series) { s.stale(sr, ms) })
	s.write(tg.up, ms, 0)
}

// Remove records that the simulated Prometheus stopped scraping the pod at
// t (it left service discovery). As the scrape loop's endOfRunStaleness
// does, stale markers for the series of the last scrape and for up are
// timestamped at the next scrape time after t (and after the last scrape)
// and become visible to queries evaluated one scrape interval plus 10 %
// later, when Prometheus writes them. A pod never scraped gets none. Later
// calls for the pod record nothing.
func (s *Store) Remove(id TargetID, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tg := s.get(id)
	if tg.removed {
		return
	}
	tg.removed = true
	if tg.last == never {
		return
	}
	from := max(t.UnixMilli(), tg.last)
	staleAt := tg.last + ((from-tg.last)/s.interval+1)*s.interval
	visibleAt := staleAt + s.interval + s.interval/10
	mark := func(sr *series) {
		if s.stale(sr, staleAt) {
			sr.hideFrom, sr.hideUntil = staleAt, visibleAt
		}
	}
	tg.each(mark)
	tg.up.exposed = true // reportStale marks up whatever the last scrape was
	mark(tg.up)
}

// each calls f for every series of the target but up.
func (tg *target) each(f func(*series)) {
	f(tg.info)
	f(tg.ready)
	for _, c := range tg.injected {
		f(c.s)
	}
	for _, c := range tg.order {
		for _, sr := range c.series {
			f(sr)
		}
	}
}

// expose writes a scraped value of sr and marks it exposed.
func (s *Store) expose(sr *series, ms int64, v float64) {
	if s.write(sr, ms, v) {
		sr.exposed = true
	}
}

// stale writes a stale marker for sr if the last scrape exposed it, and
// reports whether it did.
func (s *Store) stale(sr *series, ms int64) bool {
	if !sr.exposed {
		return false
	}
	sr.exposed = false
	return s.write(sr, ms, staleNaN)
}

// write appends a sample to sr, indexing sr on its first sample.
func (s *Store) write(sr *series, ms int64, v float64) bool {
	if !sr.add(ms, v) {
		return false
	}
	if !sr.indexed {
		list := s.byName[sr.name]
		i, _ := slices.BinarySearchFunc(list, sr, bySeriesLabels)
		s.byName[sr.name] = slices.Insert(list, i, sr)
		sr.indexed = true
	}
	return true
}

func bySeriesLabels(a, b *series) int { return labels.Compare(a.lset, b.lset) }

// Trim drops the samples before before: queries whose range and lookback
// start at or after it are unaffected. A series left without samples
// leaves the index until it gets a sample again, and a removed pod is
// forgotten once all its samples are gone.
func (s *Store) Trim(before time.Time) {
	ms := before.UnixMilli()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live = slices.DeleteFunc(s.live, func(tg *target) bool {
		empty := true
		trim := func(sr *series) {
			if !sr.indexed {
				return
			}
			sr.trim(ms)
			if len(sr.samples()) > 0 {
				empty = false
				return
			}
			list := s.byName[sr.name]
			if i, ok := slices.BinarySearchFunc(list, sr, bySeriesLabels); ok {
				s.byName[sr.name] = slices.Delete(list, i, i+1)
			}
			sr.indexed = false
		}
		tg.each(trim)
		trim(tg.up)
		if tg.removed && empty {
			tg.order, tg.children, tg.injected = nil, nil, nil
			return true
		}
		return false
	})
}
