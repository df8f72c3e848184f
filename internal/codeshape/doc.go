// Package codeshape holds the test that keeps the code readable: no
// non-test Go file over MaxFileLines lines and no non-test function over
// MaxFuncLines lines (functions that fit on a screen).
//
// Layer 0 of the package layers (internal/layers).
package codeshape

// Limits the test enforces.
const (
	MaxFileLines = 400
	MaxFuncLines = 60
)
