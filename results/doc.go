// Package results defines results.json, the one versioned schema every run
// produces (kind, existing cluster or simulator) and every report reads:
// scenario, environment, component versions, per-strategy timelines,
// per-second series per version and scores.
//
// Layer 1 of the package layers (internal/layers).
package results
