package faults

import (
	"math"
	"slices"
	"strconv"
)

// latencyParams lists the parameters each distribution uses (min and max
// are clamps every distribution accepts).
var latencyParams = map[string][]string{
	DistFixed:     {"mean"},
	DistUniform:   {},
	DistNormal:    {"mean", "stddev"},
	DistLognormal: {"mean", "stddev"},
	DistPareto:    {"scale", "shape"},
}

func (l *LatencyFault) validate(ps *problems, path string) {
	used, ok := latencyParams[l.Distribution]
	if !ok {
		ps.add(path+".distribution", 0, "unknown distribution %q (want fixed, uniform, normal, lognormal or pareto)", l.Distribution)
		return
	}
	set := map[string]bool{"mean": l.Mean != 0, "stddev": l.Stddev != 0, "scale": l.Scale != 0, "shape": l.Shape != 0}
	for _, p := range []string{"mean", "stddev", "scale", "shape"} {
		if set[p] && !slices.Contains(used, p) {
			ps.add(path+"."+p, 0, "not a parameter of distribution %s", l.Distribution)
		}
	}
	for _, p := range used {
		if !set[p] {
			ps.add(path+"."+p, 0, "required by distribution %s", l.Distribution)
		}
	}
	l.validateValues(ps, path)
}

func (l *LatencyFault) validateValues(ps *problems, path string) {
	durations := []struct {
		name string
		d    Duration
	}{{"mean", l.Mean}, {"stddev", l.Stddev}, {"min", l.Min}, {"max", l.Max}, {"scale", l.Scale}, {"after", l.After}}
	for _, p := range durations {
		nonNegative(ps, path+"."+p.name, p.d)
	}
	if l.Shape != 0 && !(l.Shape > 0 && l.Shape <= math.MaxFloat64) {
		ps.add(path+".shape", 0, "must be a finite number > 0, got %g", l.Shape)
	}
	if l.Distribution == DistUniform && l.Max == 0 {
		ps.add(path+".max", 0, "required by distribution uniform")
	}
	if l.Max != 0 && l.Min > l.Max {
		ps.add(path+".min", 0, "must not exceed max (%s), got %s", l.Max, l.Min)
	}
	if !(l.Share > 0 && l.Share <= 1) {
		ps.add(path+".share", 0, "must be in (0, 1], got %g", l.Share)
	}
	validPaths(ps, path+".paths", l.Paths)
}

func itoa(i int) string { return strconv.Itoa(i) }
