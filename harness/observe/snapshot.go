package observe

import "strings"

// Snapshot is the observer's view at one moment: the latest Rollout, its
// ReplicaSets and AnalysisRuns, and what happened to the current release.
type Snapshot struct {
	Release int
	// Rollout is nil until the Rollout has been seen.
	Rollout     *Rollout
	ReplicaSets []ReplicaSet
	// Analyses are every AnalysisRun seen, oldest first.
	Analyses []AnalysisRun
	// Aborted, Promoted and Restored describe the current release.
	Aborted, Promoted, Restored bool
}

// Snapshot returns the Deriver's current view (a copy).
func (d *Deriver) Snapshot() Snapshot {
	s := Snapshot{
		Release:  d.release,
		Aborted:  d.rel.aborted,
		Promoted: d.rel.promoted,
		Restored: d.rel.restored,
		Analyses: d.sortedRuns(),
	}
	if d.ro != nil {
		r := *d.ro
		s.Rollout = &r
	}
	for _, rs := range d.rs {
		s.ReplicaSets = append(s.ReplicaSets, rs)
	}
	return s
}

// Settled reports whether the current release has reached an end the
// engine waits for: promoted, or aborted and restored.
func (s Snapshot) Settled() bool { return s.Promoted || (s.Aborted && s.Restored) }

// Healthy reports whether the Rollout is fully rolled out and Healthy.
func (s Snapshot) Healthy() bool { return s.Rollout != nil && s.Rollout.Settled() }

// InvalidSpec is the controller's reason for rejecting the Rollout's spec
// for good ("" while it accepts it): a rejected Rollout never progresses.
// A referenced object the controller has not seen yet ("... not found")
// is not final: the controller marks it InvalidSpec too but retries in
// 20 s, since its informers may lag behind objects applied just before
// the Rollout.
func (s Snapshot) InvalidSpec() string {
	if s.Rollout == nil || strings.Contains(s.Rollout.InvalidSpec, "not found") {
		return ""
	}
	return s.Rollout.InvalidSpec
}
