// Package layers states coalmine's package layers and holds the test that
// keeps imports pointing down them (go list over the whole module). From
// the bottom:
//
//	0  internal/...            helpers: atomic writes, golden files, host tools
//	1  faults, results         the fault model and the results.json schema
//	2  loadgen, faultapp       traffic and the sample service
//	3  scenarios, reports      the Scenario API and library; scoring and renderers
//	4  outcome                 a run's results: scores, expectations, results.json, reports
//	5  harness, sim            kind environments and the run engine; the virtual-time simulator
//	6  cmd, e2e                mains and the end-to-end suite
//
// A package may import packages of lower layers and of its own top-level
// directory (harness/run imports harness/cluster).
package layers
