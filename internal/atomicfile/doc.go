// Package atomicfile replaces files atomically: readers see the old
// content or the new, never a part.
//
// Layer: a leaf; it imports no coalmine package.
package atomicfile
