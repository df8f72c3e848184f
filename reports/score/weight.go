package score

import (
	"math"

	"github.com/coalmine/coalmine/results"
)

// configuredWeight is the time-weighted mean configured canary weight (%)
// while the release was in progress. The weight is 0 until the first weight
// event of the release.
func (w *window) configuredWeight() float64 {
	from, to := w.start, w.inProgressEnd()
	if !to.After(from) {
		return 0
	}
	cur, t, sum := 0.0, from, 0.0
	for _, e := range w.weights {
		if !e.Time.Before(to) {
			break
		}
		if e.Time.After(t) {
			sum += cur * e.Time.Sub(t).Seconds()
			t = e.Time
		}
		cur = float64(*e.Weight)
	}
	sum += cur * to.Sub(t).Seconds()
	return sum / to.Sub(from).Seconds()
}

// efficiency compares the canary requests served before the abort with the
// SPRT's expected sample size for the observed baseline → canary rates. A
// zero baseline rate is replaced by half a failure over the baseline's
// requests (a continuity correction). Nil when the canary's error rate was
// not above the baseline's (a latency fault, say): the error-rate limit
// does not apply.
func (w *window) efficiency(base float64, baseN int, opts Options) *results.Efficiency {
	a := &w.acc
	if baseN == 0 || a.postOnset.req == 0 {
		return nil
	}
	p0 := base
	if p0 == 0 {
		p0 = 0.5 / float64(baseN)
	}
	p1 := a.postOnset.rate()
	if p1 <= p0 {
		return nil
	}
	n := SPRTExpectedSamples(p0, p1, opts.Alpha, opts.Beta)
	if math.IsInf(n, 0) || n <= 0 {
		return nil
	}
	return &results.Efficiency{SPRTRequests: n, RequestsToDetect: a.toDetect, Ratio: float64(a.toDetect) / n}
}
