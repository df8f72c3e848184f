package scenarios

// Matches reports whether the expectation applies to the named strategy
// and release version ("*" matches any).
func (e Expectation) Matches(strategy, release string) bool {
	return (e.Strategy == Wildcard || e.Strategy == strategy) && (e.Release == Wildcard || e.Release == release)
}

// ExpectationsFor returns the scenario's expectations that apply to the
// strategy and release, in file order.
func (s *Scenario) ExpectationsFor(strategy, release string) []Expectation {
	var out []Expectation
	for _, e := range s.Spec.Expectations {
		if e.Matches(strategy, release) {
			out = append(out, e)
		}
	}
	return out
}
