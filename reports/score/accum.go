package score

import (
	"strings"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// counts is requests and failures.
type counts struct{ req, fail int }

func (c *counts) add(failed bool) {
	c.req++
	if failed {
		c.fail++
	}
}

// rate is the failure rate, 0 without requests.
func (c counts) rate() float64 {
	if c.req == 0 {
		return 0
	}
	return float64(c.fail) / float64(c.req)
}

// accum gathers one release's facts in a single pass over the records.
type accum struct {
	own       counts            // served by the release's version
	postOnset counts            // ... starting at or after fault onset
	byVersion map[string]counts // every attributed version in the window
	// unattributed counts requests without a serving version.
	unattributed counts
	// progressOwn/progressAll: the release's version and all attributed
	// requests while the release was in progress (observed share).
	progressOwn, progressAll int
	// toDetect: the release's version in [onset, abort).
	toDetect  int
	lastStart time.Time // latest start of a request the version served
	lastEnd   time.Time // latest end of a response the version served
	users     map[string]struct{}
}

// add accounts one record that started inside w.
func (w *window) add(r *loadgen.Record) {
	a := &w.acc
	failed := r.Failed()
	if r.Version == "" {
		a.unattributed.add(failed)
		return
	}
	if a.byVersion == nil {
		a.byVersion = map[string]counts{}
	}
	c, ok := a.byVersion[r.Version]
	c.add(failed)
	if ok {
		a.byVersion[r.Version] = c
	} else {
		a.byVersion[strings.Clone(r.Version)] = c
	}
	inProgress := w.decidedAt.IsZero() || r.Start.Before(w.decidedAt)
	if inProgress {
		a.progressAll++
	}
	if r.Version != w.rel.Version {
		return
	}
	a.own.add(failed)
	if inProgress {
		a.progressOwn++
	}
	if !r.Start.Before(w.onset) {
		a.postOnset.add(failed)
		if w.decision == results.EventAborted && r.Start.Before(w.decidedAt) {
			a.toDetect++
		}
	}
	if r.Start.After(a.lastStart) {
		a.lastStart = r.Start
	}
	if end := r.Start.Add(r.Latency); end.After(a.lastEnd) {
		a.lastEnd = end
	}
	if failed && r.User != "" {
		if a.users == nil {
			a.users = map[string]struct{}{}
		}
		if _, ok := a.users[r.User]; !ok {
			// Clone: a reused record's strings may share a buffer.
			a.users[strings.Clone(r.User)] = struct{}{}
		}
	}
}
