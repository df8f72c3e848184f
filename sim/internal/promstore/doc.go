// Package promstore is the Prometheus of the simulator (layer 4, package
// sim): an in-memory, append-only metric store for one simulated run and
// the real PromQL engine (github.com/prometheus/prometheus v0.313.5, the
// cluster's Prometheus 3.13.5) over it, so AnalysisTemplate queries are
// answered in virtual time exactly as the cluster answers them.
//
// # What it models
//
// Series are those faultapp exports (see faultapp/metrics.go) as the
// cluster's Prometheus scrapes them (harness/addons/promconfig.go, job
// "faultapp"): every series carries the target labels job, instance,
// namespace, pod and rollouts_pod_template_hash (an empty value drops the
// label, as relabelling does).
//
//   - http_request_duration_seconds_bucket{le}, _count and _sum by method,
//     path, status_code and version. A histogram child is created lazily by
//     its first request, as client_golang creates a HistogramVec child, so
//     its first scraped value is already above zero and rate()/increase()
//     never see that first increment. le values are normalised as
//     Prometheus 3 does on ingestion ("1" is stored as "1.0").
//   - faultapp_faults_injected_total{kind}, pre-created at 0 for the five
//     kinds, faultapp_info{version} = 1 and the faultapp_ready gauge.
//   - up (1 after a successful scrape, 0 after a failed one). The other
//     scrape report series (scrape_duration_seconds, ...),
//     http_requests_in_flight, faultapp_leaked_bytes and the Go and process
//     collectors are not modelled: no library query reads them.
//
// A scrape (Store.Scrape) records the cumulative value of every exposed
// series at the scrape time, as a Prometheus scrape does. Staleness follows
// the upstream scrape loop (scrape/scrape.go): a series exposed by the
// previous scrape and missing from this one (a histogram child after a
// container restart) gets a stale marker at this scrape's time; a failed
// scrape (Store.ScrapeFailed) writes up = 0 and stale markers for all
// series; a removed target (Store.Remove) gets stale markers, up included,
// timestamped at the next scrape time the target would have had, and
// written (so visible to queries) only one scrape interval plus 10 % after
// that, as endOfRunStaleness waits before writing them.
//
// Samples whose timestamp is not after the series' newest sample are
// dropped, as the TSDB rejects out-of-order and duplicate samples. Trim
// drops old samples so a simulated day stays in bounded memory.
//
// # Queries
//
// Store.Query evaluates an instant query with one process-wide PromQL
// engine configured as cmd/prometheus configures it by default (see
// engine.go). Store.API wraps the store in a promv1.API for Argo Rollouts'
// Prometheus provider: its Query evaluates at virtual now, whatever time
// the caller passes.
//
// A Store is safe for concurrent use; queries hold a read lock while they
// evaluate.
package promstore
