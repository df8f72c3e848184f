//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// seed is the master seed of every run: Ginkgo's, so that
// `-ginkgo.seed N` replays a suite's traffic and fault decisions.
func seed() string { return strconv.FormatInt(GinkgoRandomSeed(), 10) }

var _ = Describe("bad-release-5xx under classic-steps and rolling in parallel", Label("smoke", "guard"), Serial, func() {
	It("is caught by classic-steps and missed by rolling, hurts fewer requests and users under classic-steps, "+
		"and the two strategies never see each other's traffic", func(ctx SpecContext) {
		f := newFixture(ctx)
		r, err := f.runScenario(ctx, "bad-release-5xx", "--strategy", "classic-steps,rolling", "--seed", seed())
		r.expectPassed(err)
		res := r.results()
		Expect(res.Complete).To(BeTrue(), res.IncompleteReason)
		classic, rolling := strategyRun(res, "classic-steps"), strategyRun(res, "rolling")
		cv2, rv2 := release(classic, "v2").Scores, release(rolling, "v2").Scores

		By("scoring the release under each strategy")
		Expect(cv2.Outcome).To(Equal(results.OutcomeCaught))
		Expect(cv2.TimeToDetectSeconds).NotTo(BeNil(), "classic-steps reports a time to detect")
		Expect(*cv2.TimeToDetectSeconds).To(BeNumerically(">", 0))
		Expect(rv2.Outcome).To(Equal(results.OutcomeMissed))
		Expect(cv2.FailedRequests).To(BeNumerically("<", rv2.FailedRequests), "failed requests: classic-steps vs rolling")
		Expect(cv2.UsersAffected).To(BeNumerically("<", rv2.UsersAffected), "users affected: classic-steps vs rolling")

		By("checking that each strategy's traffic entered by its own port and reached only its own namespace")
		s, err := scenarios.Load("bad-release-5xx")
		Expect(err).NotTo(HaveOccurred())
		expectOwnTraffic(ctx, r, res, s, classic, rolling)

		By("checking that rolling ended with v2 serving all its traffic")
		stop, ok := event(rolling, results.EventTrafficStop, -1)
		Expect(ok).To(BeTrue())
		var last, lastV2 int
		for _, rec := range readRecords(r.recordsOf(res, rolling.Name)) {
			if rec.Version != "" && rec.Start.After(stop.Time.Add(-10*time.Second)) {
				last++
				if rec.Version == "v2" {
					lastV2++
				}
			}
		}
		Expect(last).To(BeNumerically(">", 0))
		Expect(float64(lastV2)/float64(last)).To(BeNumerically(">=", 0.99), "rolling's v2 share of the last 10 s")

		By("checking that classic-steps served no v2 after its restore")
		restored, ok := event(classic, results.EventRestored, 1)
		Expect(ok).To(BeTrue(), "classic-steps timeline has a restored event for v2")
		var after, afterV2 int
		var lastV2At time.Time
		for _, rec := range readRecords(r.recordsOf(res, classic.Name)) {
			if rec.Start.After(restored.Time) {
				after++
				if rec.Version == "v2" {
					afterV2++
					lastV2At = rec.Start
				}
			}
		}
		Expect(after).To(BeNumerically(">", 0), "classic-steps records after the restore at %s", restored.Time)
		Expect(afterV2).To(BeZero(), "classic-steps requests answered by v2 after the restored event at %s (of %d; the last sent %s after it)",
			restored.Time.Format("15:04:05.000"), after, lastV2At.Sub(restored.Time))
	}, SpecTimeout(30*time.Minute))
})

// expectOwnTraffic checks, per strategy, that its traffic targeted its own
// entry (the NodePort of its namespace's Service), that its records count
// is its own pacer's (not two attacks'), and, where Prometheus is published
// on the host, that its namespace's pods served its requests only.
func expectOwnTraffic(ctx SpecContext, r *scenarioRun, res *results.Results, s *scenarios.Scenario, runs ...results.StrategyRun) {
	GinkgoHelper()
	pacer := pacerOf(s.Spec.Traffic)
	nodePortOf := map[int]int32{}
	for _, e := range suite.ports.Entries {
		nodePortOf[int(e.HostPort)] = e.NodePort
	}
	targets := map[string]string{}
	for _, sr := range runs {
		start, ok1 := event(sr, results.EventTrafficStart, -1)
		stop, ok2 := event(sr, results.EventTrafficStop, -1)
		Expect(ok1 && ok2).To(BeTrue(), "%s timeline has traffic start and stop", sr.Name)
		Expect(targets).NotTo(HaveKey(start.Message), "%s's traffic target is also %s's", sr.Name, targets[start.Message])
		targets[start.Message] = sr.Name
		u, err := url.Parse(start.Message)
		Expect(err).NotTo(HaveOccurred())
		Expect(u.Hostname()).To(Equal("127.0.0.1"))
		hostPort, err := strconv.Atoi(u.Port())
		Expect(err).NotTo(HaveOccurred())
		svc, err := suite.clients.Kube.CoreV1().Services(sr.Namespace).Get(ctx, deploy.AppName, metav1.GetOptions{})
		Expect(err).NotTo(HaveOccurred())
		Expect(svc.Spec.Ports).To(HaveLen(1))
		Expect(svc.Spec.Ports[0].NodePort).To(Equal(nodePortOf[hostPort]), "%s: Service NodePort vs entry %d", sr.Name, hostPort)

		recs := readRecords(r.recordsOf(res, sr.Name))
		due := pacer.Hits(stop.Time.Sub(start.Time))
		Expect(sr.Traffic).NotTo(BeNil(), "%s: traffic summary", sr.Name)
		Expect(sr.Traffic.Requests).To(BeEquivalentTo(len(recs)), "%s: requests sent vs records", sr.Name)
		// Every due hit is either a record or counted as skipped (all
		// workers busy); another strategy's attack would double the count.
		GinkgoWriter.Printf("%s: %d records + %d skipped, %.0f due\n", sr.Name, len(recs), sr.Traffic.Skipped, due)
		Expect(float64(len(recs))+float64(sr.Traffic.Skipped)).To(BeNumerically("~", due, 0.02*due),
			"%s: records and skipped hits vs its pacer's hits", sr.Name)
		if suite.ports.PrometheusURL() == "" {
			By("Prometheus is not published on the host: skipping the per-namespace server-side count")
			continue
		}
		served := countServed(recs)
		window := int(stop.Time.Sub(start.Time).Seconds()) + 60
		at := stop.Time.Add(3 * s.Spec.ScrapeInterval.Duration)
		q := fmt.Sprintf(`sum(max_over_time(http_request_duration_seconds_count{namespace=%q}[%ds]))`, sr.Namespace, window)
		got, err := promSum(ctx, q, at)
		Expect(err).NotTo(HaveOccurred())
		fmt.Fprintf(GinkgoWriter, "%s: %d records (%.0f due), %d answered; Prometheus counts %.0f in %s\n",
			sr.Name, len(recs), due, served, got, sr.Namespace)
		Expect(got).To(BeNumerically("~", served, 0.05*float64(served)), "%s: requests served in %s vs answered records", sr.Name, sr.Namespace)
	}
}

func countServed(recs []loadgen.Record) int {
	n := 0
	for _, rec := range recs {
		if rec.Status != 0 {
			n++
		}
	}
	return n
}

var _ = Describe("good-release under classic-steps", Label("smoke"), Serial, func() {
	It("is promoted without a false alarm", func(ctx SpecContext) {
		f := newFixture(ctx)
		r, err := f.runScenario(ctx, "good-release", "--strategy", "classic-steps", "--seed", seed())
		r.expectPassed(err)
		res := r.results()
		Expect(res.Complete).To(BeTrue(), res.IncompleteReason)
		classic := strategyRun(res, "classic-steps")
		v2 := release(classic, "v2")
		Expect(v2.Bad).To(BeFalse())
		Expect(v2.Scores.Outcome).To(Equal(results.OutcomePromoted))
		Expect(v2.Scores.TimeToPromoteSeconds).NotTo(BeNil())
		_, aborted := event(classic, results.EventAborted, 1)
		Expect(aborted).To(BeFalse(), "classic-steps aborted the good release")
		Expect(v2.Expectations).NotTo(BeEmpty())
		for _, x := range v2.Expectations {
			Expect(x.Passed).To(BeTrue(), "%s: %s", x.Name, x.Reason)
		}
	}, SpecTimeout(20*time.Minute))
})
