package suggest

import (
	"fmt"
	"strings"
)

// maxDistance is the largest edit distance still taken for a typo.
const maxDistance = 2

// Hint returns ` (did you mean "x"?)` when a known name is at most two
// edits (case ignored) from key, the closest one (the first in sort
// order on a tie); "" otherwise.
func Hint(key string, known []string) string {
	best, bestD := "", maxDistance+1
	for _, name := range known {
		if d := Distance(strings.ToLower(key), strings.ToLower(name)); d < bestD || d == bestD && name < best {
			best, bestD = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Distance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions), so "peakRSP" is 1 away from "peakRPS".
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
