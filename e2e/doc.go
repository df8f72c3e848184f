// Package e2e is coalmine's end-to-end Ginkgo suite: it runs library
// scenarios on a real kind cluster through the same code path as
// `coalmine run` and asserts their expectations. It only runs under the
// e2e build tag (make e2e, make e2e-smoke).
//
// Layer 6 of the package layers (internal/layers).
package e2e
