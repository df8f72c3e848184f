// Package run is coalmine's run engine: given a scenario and a cluster with
// Argo Rollouts and Prometheus, it deploys faultapp as a Rollout under each
// strategy (each in its own namespace, in parallel), drives the scenario's
// traffic at it, applies the releases on the simulated day's schedule,
// watches what the controller decides, then scores the records and timeline
// and writes results.json and the reports.
//
// Layer 5 of the package layers (internal/layers).
package run
