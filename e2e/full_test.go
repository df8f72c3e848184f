//go:build e2e

package e2e

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/coalmine/coalmine/scenarios"
)

var _ = Describe("the scenario library", Label("full"), Serial, func() {
	for _, e := range scenarios.List() {
		It(e.Name+" meets its expectations under its default strategies", func(ctx SpecContext) {
			s, err := scenarios.Load(e.Name)
			Expect(err).NotTo(HaveOccurred())
			f := newFixture(ctx)
			r, err := f.runScenario(ctx, e.Name, "--seed", seed())
			r.expectPassed(err)
			res := r.results()
			Expect(res.Complete).To(BeTrue(), res.IncompleteReason)
			Expect(res.Strategies).To(HaveLen(len(s.Strategies)))
			passed, failed := res.ExpectationCounts()
			Expect(failed).To(BeZero(), "failed expectations:\n%v", failedExpectations(res))
			if len(s.Spec.Expectations) > 0 {
				Expect(passed).To(BeNumerically(">", 0), "expectations were checked")
			}
		}, SpecTimeout(30*time.Minute))
	}
})
