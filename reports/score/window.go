package score

import (
	"fmt"
	"sort"
	"time"

	"github.com/coalmine/coalmine/results"
)

// window is one release as observed: [start, end) holds its records, the
// release is in progress during [start, decided).
type window struct {
	rel      Release
	baseline string
	start    time.Time
	end      time.Time // zero until finalised for the last release
	onset    time.Time
	// decision is the first abort or promote event of the release
	// ("" when neither happened: a timeout).
	decision   results.EventKind
	decidedAt  time.Time // zero when no decision
	restoredAt time.Time // the timeline's restored event, if any
	weights    []results.Event
	acc        accum
}

// inProgressEnd is when the release stopped being in progress.
func (w *window) inProgressEnd() time.Time {
	if !w.decidedAt.IsZero() {
		return w.decidedAt
	}
	return w.end
}

// buildWindows orders the releases and attaches their timeline facts.
func buildWindows(in Input) ([]*window, error) {
	byRelease := map[int][]results.Event{}
	for _, e := range in.Timeline {
		byRelease[e.Release] = append(byRelease[e.Release], e)
	}
	for _, evs := range byRelease {
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Time.Before(evs[j].Time) })
	}
	ws := make([]*window, 0, len(in.Releases))
	seen := map[int]bool{}
	for _, rel := range in.Releases {
		if rel.Version == "" {
			return nil, fmt.Errorf("release %d: version is empty", rel.Index)
		}
		if seen[rel.Index] {
			return nil, fmt.Errorf("release %d: index listed twice", rel.Index)
		}
		seen[rel.Index] = true
		w := &window{rel: rel, start: rel.ReleasedAt}
		for _, e := range byRelease[rel.Index] {
			w.apply(e)
		}
		if w.start.IsZero() {
			return nil, fmt.Errorf("release %d (%s): no release time and no %q event", rel.Index, rel.Version, results.EventReleased)
		}
		if rel.FaultOnset != nil {
			w.onset = *rel.FaultOnset
		}
		if w.onset.IsZero() {
			w.onset = w.start
		}
		if n := len(ws); n > 0 && w.start.Before(ws[n-1].start) {
			return nil, fmt.Errorf("release %d released at %s, before release %d (%s): releases must be in release order",
				rel.Index, w.start.Format(time.RFC3339Nano), ws[n-1].rel.Index, ws[n-1].start.Format(time.RFC3339Nano))
		}
		ws = append(ws, w)
	}
	stable := in.Stable
	for i, w := range ws {
		w.baseline = stable
		if i+1 < len(ws) {
			w.end = ws[i+1].start
		}
		if w.decision == results.EventPromoted {
			stable = w.rel.Version
		}
	}
	return ws, nil
}

// apply records one timeline event of the window's release.
func (w *window) apply(e results.Event) {
	switch e.Kind {
	case results.EventReleased:
		if w.start.IsZero() {
			w.start = e.Time
		}
	case results.EventFaultOnset:
		if w.onset.IsZero() {
			w.onset = e.Time
		}
	case results.EventAborted, results.EventPromoted:
		if w.decision == "" {
			w.decision, w.decidedAt = e.Kind, e.Time
		}
	case results.EventRestored:
		if w.restoredAt.IsZero() {
			w.restoredAt = e.Time
		}
	case results.EventWeight:
		if e.Weight != nil {
			w.weights = append(w.weights, e)
		}
	}
}

// find returns the window whose records include t, or nil before the first.
func find(ws []*window, t time.Time) *window {
	i := sort.Search(len(ws), func(i int) bool { return ws[i].start.After(t) })
	if i == 0 {
		return nil
	}
	return ws[i-1]
}
