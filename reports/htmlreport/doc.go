// Package htmlreport renders one or more coalmine runs as report.html: a
// single self-contained page (inline CSS and SVG, no script, no network)
// with the ranked scoreboard, a cost-versus-risk chart, a timeline chart per
// strategy and release, the strategies' YAML and the component versions,
// readable in light and dark mode. Output is deterministic.
//
// Layer 3 of the package layers (internal/layers).
package htmlreport
