// Package observe watches what the Argo Rollouts controller decides in one
// namespace (Rollouts, AnalysisRuns, ReplicaSets and core Events, through
// watches) and turns it into a timestamped results.Event timeline: steps,
// configured weights, analysis measurements and verdicts, pauses, aborts,
// promotions and restorations.
//
// Argo Rollouts objects are read as unstructured data so that coalmine does
// not depend on the controller's Go module. Derivation (Deriver) is a pure
// function of the sequence of objects seen; Observer wires it to informers.
//
// Layer 5 of the package layers (internal/layers).
package observe
