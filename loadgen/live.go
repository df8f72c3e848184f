package loadgen

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// liveSeconds is how many seconds LiveStats remembers.
const liveSeconds = 16

// LiveStats keeps per-version request and error counts for the last few
// seconds, by completion time, for progress displays. Safe for concurrent
// use: the attack observes, a display goroutine takes snapshots.
type LiveStats struct {
	mu   sync.Mutex
	ring [liveSeconds]liveSecond
}

type liveSecond struct {
	t        int64
	versions []VersionCount
}

// VersionCount is requests and errors of one version.
type VersionCount struct {
	Version  string `json:"version"`
	Requests uint64 `json:"requests"`
	Errors   uint64 `json:"errors"`
}

// LiveSnapshot is the traffic of the last Seconds full seconds before At.
type LiveSnapshot struct {
	At      time.Time
	Seconds int
	// RPS is completed requests per second; ErrorRatio is errors/requests.
	RPS        float64
	ErrorRatio float64
	// Versions are sorted by version ("" sorts first).
	Versions []VersionLive
}

// VersionLive is one version's share of a LiveSnapshot.
type VersionLive struct {
	VersionCount
	RPS        float64
	ErrorRatio float64
}

// NewLiveStats returns empty live stats.
func NewLiveStats() *LiveStats { return &LiveStats{} }

// Observe counts r in the second it completed.
func (s *LiveStats) Observe(r *Record) {
	t := r.Start.Add(r.Latency).Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := &s.ring[mod(t, liveSeconds)]
	if sec.t != t {
		if sec.t > t {
			return // older than the ring
		}
		sec.t, sec.versions = t, sec.versions[:0]
	}
	i := slices.IndexFunc(sec.versions, func(v VersionCount) bool { return v.Version == r.Version })
	if i < 0 {
		i = len(sec.versions)
		sec.versions = append(sec.versions, VersionCount{Version: r.Version})
	}
	sec.versions[i].Requests++
	if r.Failed() {
		sec.versions[i].Errors++
	}
}

// Snapshot sums the last n full seconds before now (1 ≤ n < 16).
func (s *LiveStats) Snapshot(now time.Time, n int) LiveSnapshot {
	n = min(max(n, 1), liveSeconds-1)
	snap := LiveSnapshot{At: now, Seconds: n}
	end := now.Unix() // the current, partial second is excluded
	var total VersionCount
	s.mu.Lock()
	for t := end - int64(n); t < end; t++ {
		if sec := &s.ring[mod(t, liveSeconds)]; sec.t == t {
			for _, v := range sec.versions {
				snap.Versions = addCount(snap.Versions, v)
				total.Requests += v.Requests
				total.Errors += v.Errors
			}
		}
	}
	s.mu.Unlock()
	snap.RPS, snap.ErrorRatio = rates(total, n)
	for i := range snap.Versions {
		snap.Versions[i].RPS, snap.Versions[i].ErrorRatio = rates(snap.Versions[i].VersionCount, n)
	}
	slices.SortFunc(snap.Versions, func(a, b VersionLive) int { return strings.Compare(a.Version, b.Version) })
	return snap
}

func addCount(vs []VersionLive, c VersionCount) []VersionLive {
	for i := range vs {
		if vs[i].Version == c.Version {
			vs[i].Requests += c.Requests
			vs[i].Errors += c.Errors
			return vs
		}
	}
	return append(vs, VersionLive{VersionCount: c})
}

func rates(c VersionCount, seconds int) (rps, errRatio float64) {
	rps = float64(c.Requests) / float64(seconds)
	if c.Requests > 0 {
		errRatio = float64(c.Errors) / float64(c.Requests)
	}
	return rps, errRatio
}
