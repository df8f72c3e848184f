// Package chart draws the reports' charts as deterministic, self-contained
// SVG: stacked time panels sharing one x axis (with event markers, shaded
// bands and a strip of dots) and labelled scatter plots. Colours come from
// CSS classes so the page that embeds a chart decides light and dark.
//
// Layer 3 of the package layers (internal/layers).
package chart
