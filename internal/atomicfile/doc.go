// Package atomicfile replaces files atomically: readers see the old
// content or the new, never a part.
//
// Layer 0 (internal/layers): it imports no coalmine package.
package atomicfile
