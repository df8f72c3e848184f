// Package pins holds the versions of everything coalmine installs into a
// cluster or builds into an image. It is the single place to bump a version;
// every run records these values in its results.
//
// Layer 5 of the package layers (internal/layers).
package pins
