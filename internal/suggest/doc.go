// Package suggest is the one "did you mean" rule of every strictly decoded
// file (scenarios, strategies, fault models): the known name closest to a
// misspelled one, by edit distance.
//
// Layer 0 of the package layers (internal/layers).
package suggest
