// Package image builds the faultapp container image context: the static
// faultapp binary plus faultapp/Dockerfile (FROM scratch, no builder
// stage), the one path `make image`, the local image set and the tests use.
//
// Layer 2 of the package layers (internal/layers).
package image
