//go:build e2e

package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/harness/run"
	"github.com/coalmine/coalmine/scenarios"
)

var _ = Describe("the testbed itself", Label("guard"), Serial, func() {
	It("cleans up after Ctrl-C and writes incomplete results with the records so far", Label("smoke"), func(ctx SpecContext) {
		f := newFixture(ctx)
		before := listeners()
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// Without --keep: the engine itself must remove what it made.
		r := f.start(rctx, false, "bad-release-5xx", "--strategy", "rolling", "--seed", seed())
		records := filepath.Join(r.out, "rolling", "records.tsv")

		By("waiting until the run's namespace exists and traffic flows")
		Eventually(ctx, func() []string { r.running(); return names(f.namespacesOf(ctx, r)) }).
			WithTimeout(6 * time.Minute).WithPolling(2 * time.Second).ShouldNot(BeEmpty())
		var size int64
		Eventually(ctx, func() int64 { r.running(); size = fileSize(records); return size }).
			WithTimeout(5 * time.Minute).WithPolling(time.Second).Should(BeNumerically(">", 0))
		Eventually(ctx, func() int64 { r.running(); return fileSize(records) }).
			WithTimeout(30 * time.Second).WithPolling(time.Second).Should(BeNumerically(">", size))

		By("interrupting the run")
		cancel()
		Eventually(ctx, r.finished).WithTimeout(4 * time.Minute).Should(BeClosed())
		Expect(r.err).To(MatchError(run.ErrIncomplete))

		By("checking that nothing is left behind")
		Eventually(ctx, func() []string { return names(f.namespacesOf(ctx, r)) }).
			WithTimeout(3 * time.Minute).WithPolling(2 * time.Second).Should(BeEmpty())
		Eventually(func() []int {
			return slices.DeleteFunc(listeners(), func(p int) bool { return slices.Contains(before, p) })
		}).WithTimeout(30*time.Second).Should(BeEmpty(), "ports this process listens on that it did not before the run")
		res := r.results()
		Expect(res.Complete).To(BeFalse())
		Expect(res.IncompleteReason).To(ContainSubstring("interrupted"))
		Expect(readRecords(r.recordsOf(res, "rolling"))).NotTo(BeEmpty())
	}, SpecTimeout(15*time.Minute))

	It("rejects a misspelled scenario field before creating anything, naming file, line and field", Label("smoke"), func(ctx SpecContext) {
		f := newFixture(ctx)
		dir := GinkgoT().TempDir()
		// A strategy of its own, so that any namespace the run made would be
		// recognisable by its coalmine.dev/strategy label.
		strategy := runID(f.name)
		y, err := scenarios.LibraryYAML("strategy", "classic-steps")
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(dir, strategy+".yaml"), y, 0o644)).To(Succeed())
		y, err = scenarios.LibraryYAML("scenario", "bad-release-5xx")
		Expect(err).NotTo(HaveOccurred())
		doc, _, _ := strings.Cut(string(y), "  expectations:") // they name the library strategies
		doc = strings.Replace(doc, "peakRPS:", "peakRSP:", 1)
		doc = strings.Replace(doc, "strategies: [rolling, classic-steps, fail-fast]", "strategies: [./"+strategy+".yaml]", 1)
		Expect(doc).To(ContainSubstring("./" + strategy + ".yaml"))
		path := filepath.Join(dir, "typo.yaml")
		Expect(os.WriteFile(path, []byte(doc), 0o644)).To(Succeed())
		line := 1 + strings.Count(doc[:strings.Index(doc, "peakRSP:")], "\n")

		r := f.start(ctx, false, path)
		Eventually(ctx, r.finished).WithTimeout(time.Minute).Should(BeClosed())
		err = r.err
		Expect(err).To(HaveOccurred())
		var list scenarios.ErrorList
		Expect(errors.As(err, &list)).To(BeTrue(), "error %q is a scenarios.ErrorList", err)
		Expect(list).To(ContainElement(HaveField("Error()", HavePrefix(fmt.Sprintf("%s:%d: spec.traffic.peakRSP: unknown field", path, line)))))
		Expect(err.Error()).To(ContainSubstring(fmt.Sprintf("%s:%d: spec.traffic.peakRSP", path, line)))

		By("checking that no namespace was created")
		Expect(f.list(ctx, deploy.LabelStrategy+"="+strategy)).To(BeEmpty())
		Expect(fileSize(filepath.Join(r.out, "results.json"))).To(BeZero(), "no results for a run that never started")
	}, SpecTimeout(5*time.Minute))
})
