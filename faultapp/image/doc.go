// Package image builds the faultapp container image context: the static
// faultapp binary plus faultapp/Dockerfile (FROM scratch, no builder
// stage), the one path `make image`, the local image set and the tests use.
package image
