// Package reports turns observed request records and controller timelines
// into scores, and results into HTML, Markdown and JUnit reports.
//
// WriteAll renders every report of one or more runs into a directory; the
// work is done by the subpackages: results (the results.json schema and its
// Read/Write), score (records + timeline → scores, expectations),
// scoreboard (ranking), chart (SVG), htmlreport, markdown and junit.
//
// Layer 3 of the package layers (internal/layers).
package reports
