package images

import (
	"context"
	"fmt"
)

// errDepFailed marks a target not built because a dependency failed.
type errDepFailed struct{ Dep string }

func (e errDepFailed) Error() string { return fmt.Sprintf("not built: dependency %s failed", e.Dep) }

// schedule builds the targets of p that need building, at most jobs at a
// time (Light targets do not count), each after its dependencies,
// preferring targets declared first (the catalog lists the critical path
// first). It returns every failure by target name. Cancelling ctx stops
// starting new targets.
func schedule(ctx context.Context, p plan, jobs int, build func(context.Context, *Target) error) map[string]error {
	if jobs < 1 {
		jobs = 1
	}
	var pending []*Target
	for _, t := range p.Involved {
		if _, ok := p.Build[t.Name]; ok {
			pending = append(pending, t)
		}
	}
	type result struct {
		name  string
		light bool
		err   error
	}
	done := make(chan result)
	finished := map[string]bool{}
	failed := map[string]error{}
	running, light := 0, 0 // targets building: with a job slot, and Light
	// ready reports whether t can start, or which dependency failed.
	ready := func(t *Target) (bool, string) {
		for _, d := range t.Deps {
			if _, building := p.Build[d]; !building {
				continue
			}
			if failed[d] != nil {
				return false, d
			}
			if !finished[d] {
				return false, ""
			}
		}
		return true, ""
	}
	for len(pending) > 0 || running > 0 {
		for ctx.Err() == nil {
			started := false
			for i := 0; i < len(pending); i++ {
				t := pending[i]
				ok, dep := ready(t)
				if dep != "" {
					failed[t.Name] = errDepFailed{Dep: dep}
					pending = append(pending[:i], pending[i+1:]...)
					i--
					continue
				}
				if !ok || (!t.Light && running >= jobs) {
					continue
				}
				pending = append(pending[:i], pending[i+1:]...)
				if t.Light {
					light++
				} else {
					running++
				}
				started = true
				go func() { done <- result{t.Name, t.Light, build(ctx, t)} }()
				break
			}
			if !started {
				break
			}
		}
		if running+light == 0 {
			break
		}
		r := <-done
		if r.light {
			light--
		} else {
			running--
		}
		finished[r.name] = true
		if r.err != nil {
			failed[r.name] = r.err
		}
	}
	for _, t := range pending {
		if _, ok := failed[t.Name]; !ok {
			err := ctx.Err()
			if err == nil {
				err = fmt.Errorf("not built: dependencies never became ready")
			}
			failed[t.Name] = err
		}
	}
	return failed
}
