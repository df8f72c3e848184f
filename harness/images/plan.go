package images

import (
	"fmt"
	"sort"
	"strings"
)

// Reasons a target is (re)built.
const (
	reasonMissing = "missing"
	reasonStale   = "stale"
	reasonForced  = "forced"
)

// plan is what a build does: the targets involved in declared order, and
// for those to build, why.
type plan struct {
	Involved []*Target
	// Build maps a target to build to its reason; absent means cached.
	Build map[string]string
}

// planBuild decides what to build. The roots are the targets named in
// only, or every image when only is empty. Force applies to the named
// targets, or to every target (artifacts too) when none is named. A root
// is built when forced,
// missing or stale (its current inputs label differs from its hash); a
// target being built needs each dependency up to date, so missing or
// stale dependencies are built too. Artifacts are built only when
// something needs them or they are named.
func planBuild(targets []*Target, hashes map[string]string, current map[string]imageState, only []string, force bool) (plan, error) {
	byName, err := index(targets)
	if err != nil {
		return plan{}, err
	}
	explicit := map[string]bool{}
	for _, n := range only {
		if _, ok := byName[n]; !ok {
			return plan{}, fmt.Errorf("unknown image %q (known: %s)", n, strings.Join(names(targets), ", "))
		}
		explicit[n] = true
	}
	if len(only) == 0 && force {
		// A forced full build rebuilds everything from source.
		for _, t := range targets {
			explicit[t.Name] = true
		}
	}
	p := plan{Build: map[string]string{}}
	involved := map[string]bool{}
	var need func(n string)
	need = func(n string) {
		if involved[n] {
			return
		}
		involved[n] = true
		st := current[n]
		switch {
		case force && explicit[n]:
			p.Build[n] = reasonForced
		case !st.Present:
			p.Build[n] = reasonMissing
		case st.Inputs != hashes[n]:
			p.Build[n] = reasonStale
		default:
			return
		}
		for _, d := range byName[n].Deps {
			need(d)
		}
	}
	for _, t := range targets {
		if explicit[t.Name] || (len(only) == 0 && t.IsImage()) {
			need(t.Name)
		}
	}
	for _, t := range targets {
		if involved[t.Name] {
			p.Involved = append(p.Involved, t)
		}
	}
	return p, nil
}

// names lists target names, sorted.
func names(targets []*Target) []string {
	out := make([]string, 0, len(targets))
	for _, t := range targets {
		out = append(out, t.Name)
	}
	sort.Strings(out)
	return out
}
