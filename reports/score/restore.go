package score

import (
	"math"
	"sort"

	"github.com/coalmine/coalmine/results"
)

// timeToRestore is fault onset → end of the last response the bad version
// served, or nil when the records cannot show that it stopped serving.
func (w *window) timeToRestore(series []results.Second, opts Options) *float64 {
	a := &w.acc
	if a.own.req == 0 || !a.lastEnd.After(w.onset) {
		return seconds(0) // it served nothing after the fault could act
	}
	if !w.restoreConfirmed(series, opts) {
		return nil
	}
	return seconds(a.lastEnd.Sub(w.onset))
}

// restoreConfirmed reports whether the bad version's last request was
// followed by enough requests served elsewhere that its still serving would
// be implausible (or the timeline's restored event came after it).
func (w *window) restoreConfirmed(series []results.Second, opts Options) bool {
	a := &w.acc
	if !w.restoredAt.IsZero() && !a.lastStart.After(w.restoredAt) {
		return true
	}
	need := opts.MinQuietRequests
	if a.progressAll > 0 {
		share := float64(a.progressOwn) / float64(a.progressAll)
		if share > 0 && share < 1 {
			n := math.Ceil(math.Log(1-opts.RestoreConfidence) / math.Log(1-share))
			need = max(need, int(n))
		}
	}
	// Whole seconds after the last bad request, before the window's end.
	from, to := a.lastStart.Unix(), w.end.Add(-1).Unix()
	i := sort.Search(len(series), func(i int) bool { return series[i].T > from })
	later := 0
	for ; i < len(series) && series[i].T <= to && later < need; i++ {
		if series[i].Version != "" {
			later += series[i].Requests
		}
	}
	return later >= need
}
