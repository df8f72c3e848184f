package results

// ExpectationCounts returns how many expectation verdicts of the run passed
// and how many failed.
func (r *Results) ExpectationCounts() (passed, failed int) {
	for _, s := range r.Strategies {
		for _, rel := range s.Releases {
			for _, e := range rel.Expectations {
				if e.Passed {
					passed++
				} else {
					failed++
				}
			}
		}
	}
	return passed, failed
}
