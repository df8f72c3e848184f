// Package sim runs a scenario's strategies in virtual time: the same
// Scenario and strategy YAML a kind run takes, a day in about a second.
//
// Fidelity comes from reuse. Strategies and AnalysisTemplates are Argo
// Rollouts' own types; analysis arguments are resolved, conditions
// evaluated and the Prometheus provider run with Argo's own packages;
// canary replica counts come from Argo's replica-set functions; every
// query is evaluated by Prometheus' own PromQL engine over series
// synthesised as faultapp exports them and Prometheus scrapes them
// (internal/promstore); requests are drawn with loadgen's own pacer and
// targets (the same endpoint and user sequence a kind run sends for the
// same seed) and faults decided by the fault model's own Plan. What Argo
// does not export is restated: the AnalysisRun bookkeeping
// (internal/analysisrun, proven against the real controller) and the
// canary step machine (rollout.go).
//
// Time. A kind run plays the scenario's day compressed by its timeScale
// S (strategy durations divided by S and clamped). The simulator runs at
// its own time scale s (default 1: production time, the strategy as
// written): every duration the scenario states for the compressed run
// (day length, warmup, release timeout, cooldown, fault onsets) is
// multiplied by S/s, and the strategy is scaled by s as kind scales it
// by S. With s = S the simulator reproduces a kind run, clamps included.
// Physical times (scrape interval, pod start, latencies) are not scaled.
//
// Requests are simulated one by one (about 100 ns each); scores are
// computed by reports/score from the simulated request records, which
// are produced a second time from the same seed rather than kept, so
// memory does not grow with the length of the run.
//
// Layer 5: imports outcome, scenarios, reports, loadgen, faults and results, never
// harness.
package sim
