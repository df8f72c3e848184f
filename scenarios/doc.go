// Package scenarios is coalmine's typed, versioned scenario API
// (coalmine.dev/v1alpha1, kind Scenario): strict decoding, defaulting and
// validation with file:line and field paths, plus the embedded library of
// named scenarios and strategies.
//
// Layer 3 of the package layers (internal/layers).
package scenarios
