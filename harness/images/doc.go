// Package images builds, labels and lists the container images a coalmine
// cluster runs when they come from this machine instead of a registry
// (--images local): Kubernetes, etcd, CoreDNS and pause from Go module and C
// sources, the kind node image from Debian packages and kind's base files,
// Argo Rollouts, Prometheus and faultapp.
//
// Each image (and each intermediate artifact, such as the Kubernetes
// binaries) is a Target: a name, declared inputs, dependencies and a list of
// small build steps. The hash of a target's inputs and of its dependencies'
// hashes is written into the image as the label InputsLabel; a target is
// rebuilt only when that hash changes. Independent targets build
// concurrently, bounded by Config.Jobs.
//
// Layer 5 of the package layers (internal/layers).
package images
