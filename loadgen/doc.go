// Package loadgen generates coalmine's traffic on top of vegeta: pacers
// (diurnal, step, spike) that are pure functions of elapsed time, an endpoint
// mix, a user population sent as X-User-ID, and a streaming recorder that
// writes every request to disk as it completes, with per-second aggregates
// per serving version.
//
// The pieces, one concept per file:
//
//   - Pacers (pacer_*.go): Constant, Diurnal, Step and Spike implement
//     vegeta.Pacer and Pacer (Hits = ∫ Rate, so per-second counts follow the
//     curve). ProfileSpec builds one from flat parameters.
//   - Targets (targets.go, users.go): a weighted endpoint Mix and a Zipf-like
//     user Population, drawn from one seeded generator.
//   - Attack (attack*.go): a bounded vegeta attack (duration, request count,
//     workers, timeout, keep-alive) with context cancellation; every
//     request becomes a Record.
//   - Records (record*.go, records_format.go, recorder.go): the records file
//     format, RecordWriter / ReadRecords, and a Recorder streaming to a file.
//   - Aggregates (aggregate.go, live.go, summary.go): per-second series per
//     version (results.Second), live stats for progress displays, and the
//     attack Summary.
//
// Layer 2 of the package layers (internal/layers).
package loadgen
