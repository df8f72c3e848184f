// Package outcome turns what a run observed into its results, the same way
// for every environment (kind and the simulator): the results document of
// a scenario, each strategy's scores computed from its request records and
// timeline, the scenario's expectations checked, results.json and the
// reports written.
//
// Layer 4: imports scenarios, reports and results; harness and sim (layer
// 5) import it.
package outcome
