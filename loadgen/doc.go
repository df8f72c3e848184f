// Package loadgen generates coalmine's traffic on top of vegeta: pacers
// (diurnal, step, spike) that are pure functions of elapsed time, an endpoint
// mix, a user population sent as X-User-ID, and a streaming recorder that
// writes every request to disk as it completes, with per-second aggregates
// per serving version.
package loadgen
