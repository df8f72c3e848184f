// Package strictyaml is the one strict YAML decoder of every versioned
// file coalmine reads (scenarios, strategies, fault models): it walks a
// yaml.Node tree into Go values by their json tags, and records every
// unknown, duplicate or missing field and every type error with its field
// path and line instead of stopping at the first, with one "did you mean"
// rule (internal/suggest).
//
// Layer 0 (internal/layers): it imports no coalmine package but
// internal/suggest.
package strictyaml
