// Package cluster provides the environments coalmine runs in: a kind
// cluster made through the sigs.k8s.io/kind library (never a kind binary),
// or an existing cluster reached through a kubeconfig context, behind one
// small Provider interface. It also brings an environment up with its
// add-ons (Bringup), decides where images come from (ChooseImages), and
// reports status.
//
// A kind cluster publishes, on 127.0.0.1 only, the Prometheus NodePort and
// a range of traffic-entry NodePorts (Ports); the run engine gives each
// strategy namespace its own entry Service on one of them.
//
// Layer 5 of the package layers (internal/layers).
package cluster
