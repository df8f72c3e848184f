package scenarios

import (
	"fmt"
	"slices"
)

// Select returns the strategies to run: all of the scenario's, or the
// ones named, in that order. A name the scenario does not
// list is loaded as a library strategy or a strategy file, so any strategy
// can be tried against any scenario.
func (s *Scenario) Select(names []string) ([]*Strategy, error) {
	if len(names) == 0 {
		if len(s.Strategies) == 0 {
			return nil, fmt.Errorf("scenario %s has no resolved strategies", s.Metadata.Name)
		}
		return s.Strategies, nil
	}
	var out []*Strategy
	for _, want := range names {
		i := slices.IndexFunc(s.Strategies, func(st *Strategy) bool { return st.Name == want })
		if i >= 0 {
			out = append(out, s.Strategies[i])
			continue
		}
		st, err := LoadStrategy(want)
		if err != nil {
			return nil, fmt.Errorf("strategy %q: %w", want, err)
		}
		out = append(out, st)
	}
	for i, st := range out {
		if slices.IndexFunc(out[:i], func(p *Strategy) bool { return p.Name == st.Name }) >= 0 {
			return nil, fmt.Errorf("strategy %q selected twice", st.Name)
		}
	}
	return out, nil
}
