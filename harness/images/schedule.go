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
	s := &scheduler{p: p, jobs: max(jobs, 1), done: make(chan buildResult), finished: map[string]bool{}, failed: map[string]error{}}
	for _, t := range p.Involved {
		if _, ok := p.Build[t.Name]; ok {
			s.pending = append(s.pending, t)
		}
	}
	for len(s.pending) > 0 || s.running+s.light > 0 {
		for ctx.Err() == nil && s.startNext(ctx, build) {
		}
		if s.running+s.light == 0 {
			break
		}
		s.finish(<-s.done)
	}
	for _, t := range s.pending {
		if _, ok := s.failed[t.Name]; !ok {
			err := ctx.Err()
			if err == nil {
				err = fmt.Errorf("not built: dependencies never became ready")
			}
			s.failed[t.Name] = err
		}
	}
	return s.failed
}

// buildResult is one finished target.
type buildResult struct {
	name  string
	light bool
	err   error
}

// scheduler is schedule's state.
type scheduler struct {
	p        plan
	jobs     int
	pending  []*Target
	done     chan buildResult
	finished map[string]bool
	failed   map[string]error
	// running targets hold a job slot; light ones do not.
	running, light int
}

// ready reports whether t can start, or which dependency failed.
func (s *scheduler) ready(t *Target) (bool, string) {
	for _, d := range t.Deps {
		if _, building := s.p.Build[d]; !building {
			continue
		}
		if s.failed[d] != nil {
			return false, d
		}
		if !s.finished[d] {
			return false, ""
		}
	}
	return true, ""
}

// startNext starts the first pending target that can start (failing
// those whose dependency failed) and reports whether it started one.
func (s *scheduler) startNext(ctx context.Context, build func(context.Context, *Target) error) bool {
	for i := 0; i < len(s.pending); i++ {
		t := s.pending[i]
		ok, dep := s.ready(t)
		if dep != "" {
			s.failed[t.Name] = errDepFailed{Dep: dep}
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			i--
			continue
		}
		if !ok || (!t.Light && s.running >= s.jobs) {
			continue
		}
		s.pending = append(s.pending[:i], s.pending[i+1:]...)
		if t.Light {
			s.light++
		} else {
			s.running++
		}
		go func() { s.done <- buildResult{t.Name, t.Light, build(ctx, t)} }()
		return true
	}
	return false
}

// finish records a finished target.
func (s *scheduler) finish(r buildResult) {
	if r.light {
		s.light--
	} else {
		s.running--
	}
	s.finished[r.name] = true
	if r.err != nil {
		s.failed[r.name] = r.err
	}
}
