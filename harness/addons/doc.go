// Package addons installs and health-checks what coalmine runs next to
// faultapp in a cluster: the Argo Rollouts controller (pinned install
// manifest, vendored, CRDs applied server-side), Prometheus in
// coalmine-system (scraping faultapp pods, the Argo Rollouts controller and
// itself through a Service DNS name), and the CoreDNS check.
//
// Every wait is a watch or a poll with a deadline on a condition. Installs
// are idempotent: an add-on already running at the pinned version is left
// alone, and on an existing cluster a foreign Argo Rollouts version is an
// error rather than something to overwrite.
//
// Layer 5 of the package layers (internal/layers).
package addons
