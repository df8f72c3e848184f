// Package harness makes environments and runs scenarios in them. Its
// subpackages hold the cluster providers, the add-on installs, the locally
// built images, the run engine and the observer.
//
// Layer 5 of the package layers (internal/layers).
package harness
