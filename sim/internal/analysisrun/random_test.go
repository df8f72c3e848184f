package analysisrun

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
)

// pick returns a random element of xs.
func pick[T any](rng *rand.Rand, xs ...T) T { return xs[rng.IntN(len(xs))] }

// optInt returns nil (unset) or one of ns.
func optInt(rng *rand.Rand, ns ...int) *int {
	if rng.IntN(3) == 0 {
		return nil
	}
	n := pick(rng, ns...)
	return &n
}

// randomMetric draws a metric's schedule and limits. Most draws are valid;
// some are not, and both sides must then agree on the Error.
func randomMetric(rng *rand.Rand, name string) v1alpha1.Metric {
	m := promMetric(name)
	m.Interval = v1alpha1.DurationString(pick(rng, "", "10s", "15s", "30s", "45s", "1m", "90s"))
	m.InitialDelay = v1alpha1.DurationString(pick(rng, "", "", "", "0s", "15s", "40s"))
	count := optInt(rng, 0, 1, 2, 3, 5, 8)
	fl, il, el := optInt(rng, 0, 1, 2, -1), optInt(rng, 0, 1, 2), optInt(rng, 0, 1, 2, 4)
	sl := optInt(rng, 0, 1, 2)
	if fl != nil && *fl == -1 && (sl == nil || *sl == 0) && rng.IntN(8) != 0 {
		two := 2
		sl = &two
	}
	if count != nil && *count > 1 && m.Interval == "" && rng.IntN(8) != 0 {
		m.Interval = "20s"
	}
	if count != nil && *count > 0 && rng.IntN(8) != 0 {
		need := max(val(fl), 0) + val(sl)
		need = max(need, val(il))
		*count = max(*count, need)
	}
	set := func(p *int) *intOrStrT {
		if p == nil {
			return nil
		}
		return intOrStr(*p)
	}
	m.Count, m.FailureLimit, m.InconclusiveLimit = set(count), set(fl), set(il)
	m.ConsecutiveErrorLimit, m.ConsecutiveSuccessLimit = set(el), set(sl)
	return m
}

func val(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// randomScript draws a metric's outcome sequence, mostly Successful, with
// a per-metric bias so that some metrics fail, err or dither.
func randomScript(rng *rand.Rand) string {
	weights := map[byte]int{outS: 60, outF: 1 + rng.IntN(20), outI: rng.IntN(12), outE: rng.IntN(14), outX: rng.IntN(6)}
	total := 0
	for _, w := range weights {
		total += w
	}
	var b strings.Builder
	for range 60 {
		r := rng.IntN(total)
		for _, c := range []byte{outS, outF, outI, outE, outX} {
			if r < weights[c] {
				b.WriteByte(c)
				break
			}
			r -= weights[c]
		}
	}
	return b.String()
}

// randomScenario draws one to three metrics, dry-run and retention rules,
// outcome scripts and a termination time (always when a metric is
// unbounded, so that the run ends).
func randomScenario(rng *rand.Rand) scenario {
	sc := scenario{script: map[string]string{}}
	unbounded := false
	var names []string
	for i := range 1 + rng.IntN(3) {
		name := fmt.Sprintf("m%d", i+1)
		m := randomMetric(rng, name)
		unbounded = unbounded || m.EffectiveCount() == nil
		sc.spec.Metrics = append(sc.spec.Metrics, m)
		sc.script[name] = randomScript(rng)
		names = append(names, name)
		if rng.IntN(4) == 0 {
			sc.spec.DryRun = append(sc.spec.DryRun, v1alpha1.DryRun{MetricName: name})
		}
		if rng.IntN(5) == 0 {
			sc.spec.MeasurementRetention = append(sc.spec.MeasurementRetention,
				v1alpha1.MeasurementRetention{MetricName: name, Limit: int32(rng.IntN(4))})
		}
	}
	if unbounded || rng.IntN(3) == 0 {
		sc.terminate = time.Duration(rng.Int64N(int64(20 * time.Minute)))
	}
	sc.name = strings.Join(names, "+") + "-noterm"
	if sc.terminate > 0 {
		sc.name = fmt.Sprintf("%s-term%v", strings.Join(names, "+"), sc.terminate.Round(time.Second))
	}
	return sc
}
