// Package faultapp is the sample service coalmine releases: a small shop API
// whose releases carry faults (errors, latency, crashes, leaks, readiness
// failures, CPU burn) decided per request, with Prometheus metrics and an
// optional admin API to change faults live.
package faultapp
