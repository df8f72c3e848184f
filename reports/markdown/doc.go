// Package markdown renders coalmine runs as GitHub-flavoured Markdown for a
// pull-request comment or a CI step summary: the ranked scoreboard and one
// line per strategy and release.
//
// Layer 3 of the package layers (internal/layers).
package markdown
