// Package faultapp is the sample service coalmine releases: a small shop API
// whose releases carry faults (errors, latency, crashes, leaks, readiness
// failures, CPU burn) decided per request, with Prometheus metrics and an
// optional admin API to change faults live.
//
// # API
//
// Endpoints differ in cost (in-process, per request):
//
//	GET  /api/catalog[?page=N]  a precomputed page of the 500-product catalog (cheapest)
//	GET  /api/search?q=TEXT     scans the whole catalog (empty q matches all)
//	GET  /api/cart              the cart of the X-User-ID user
//	POST /api/cart              {"sku": "SKU-0042", "qty": 1}; an empty body adds the user's featured product
//	POST /api/checkout          empties the cart into an order signed with 256 SHA-256 rounds (heaviest)
//	GET  /healthz, /readyz      liveness, readiness (the readiness fault fails /readyz)
//	GET  /metrics               Prometheus metrics
//
// Every response carries X-Coalmine-Version. Only the API routes are
// instrumented and subject to faults; probes and /metrics never are.
//
// # Metrics
//
// http_request_duration_seconds{method, path, status_code, version} (path is
// the route template; injected errors count with their real status),
// http_requests_in_flight, faultapp_info{version},
// faultapp_faults_injected_total{kind}, faultapp_leaked_bytes,
// faultapp_ready, plus Go and process collectors when run by Run. Metrics
// live on an injected registry, never the global one.
//
// # Faults
//
// A release's fault model is package faults' model, YAML or JSON decoded
// strictly by faults.Decode (see faults.Faults for every field and default):
//
//	errors:    {rate: 0.3, status: 503, paths: [/api/checkout], cohort: 0.05, minRPS: 40, after: 30s}
//	latency:   {distribution: lognormal, mean: 200ms, stddev: 100ms, share: 0.5, paths: [/api/search], after: 1m}
//	crash:     {after: 2m, requests: 10000, exitCode: 2}
//	leak:      {bytesPerRequest: 65536}
//	readiness: {after: 90s}
//	cpu:       {perRequest: 2ms}
//
// Decisions are per request, from a seeded lock-free RNG, so observed
// shares match configured rates; cohorts hash X-User-ID (InCohort); every
// `after` counts from process start on an injected Clock.
//
// # Running
//
// Run is the command's main. Flags win over the environment of a Pod spec:
// --listen/LISTEN (:8080), --version/VERSION, --faults FILE|- or
// FAULTS (inline) / FAULTS_FILE, --admin-listen/ADMIN_LISTEN (:8081),
// --admin-token/ADMIN_TOKEN (the admin API is off without it),
// --seed/SEED (random and logged when unset). SIGTERM or a cancelled
// context shuts down gracefully; the crash fault returns an *ExitError.
//
// The admin API (AdminHandler): GET /admin/faults, PUT /admin/faults
// (atomic replace; 400 with the reason and no change on a bad body; 401
// without the bearer token).
//
// Layer 2 of the package layers (internal/layers).
package faultapp
