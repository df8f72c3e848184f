// Package scoreboard ranks the strategies of one or more runs by their
// release scores — the table every report (HTML, Markdown) shows — and
// holds the number and duration formats the reports share.
//
// Layer 3 of the package layers (internal/layers).
package scoreboard
