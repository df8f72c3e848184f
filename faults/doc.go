// Package faults is the fault model: what goes wrong in a release (error
// rate by path, cohort, load and onset; latency distributions; crash and
// crash loop; leak; readiness failure; CPU burn). It strictly decodes a
// model from YAML or JSON with file:line problems, applies defaults,
// validates, lays a release's faults over the app's baseline, says when
// they first act and describes them in one line. faultapp (the server),
// the scenarios, the run engine and the simulator all use this one model.
//
// Layer 1 of the package layers (internal/layers): it imports no coalmine
// package.
package faults
