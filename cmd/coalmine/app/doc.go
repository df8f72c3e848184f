// Package app implements the coalmine command line: a cobra command tree
// whose Run function is called by the thin main in cmd/coalmine and by tests.
// Each subcommand lives in its own file and only parses flags and calls into
// the library packages (loadgen, harness, scenarios, reports).
//
// Layer 6 of the package layers (internal/layers).
package app
