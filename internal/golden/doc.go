// Package golden compares a test's output with a checked-in golden file,
// or rewrites the file when the test runs with its package's -update flag.
// Every golden test of the module goes through Check.
//
// Layer 0 of the package layers (internal/layers).
package golden
