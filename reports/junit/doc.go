// Package junit renders coalmine runs as JUnit XML for CI systems: one test
// suite per strategy, one test case per release, failing where one of the
// scenario's expectations fails and erroring where the strategy's run
// itself failed.
//
// Layer 3 of the package layers (internal/layers).
package junit
