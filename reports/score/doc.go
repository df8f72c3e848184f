// Package score computes how a canary strategy did with each release — time
// to detect, time to restore, blast radius, outcome, time to promote, canary
// share and efficiency against the statistical limit — from the observed
// per-request records and the run's timeline only, deterministically.
//
// A release is observed from its release event until the next release (or
// the end of the run). It is "in progress" until its first abort or promote
// event. Records are assigned to releases by their start time; a record's
// Version says which version served it. Scores never use the wall clock:
// every time comes from the timeline, the records or Input.End. The
// per-second series per version is loadgen's Aggregator over the same pass.
//
// Layer 3 of the package layers (internal/layers).
package score
