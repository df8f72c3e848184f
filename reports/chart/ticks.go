package chart

import "math"

// niceTicks returns about n round tick values covering [lo, hi] and the
// rounded range they span.
func niceTicks(lo, hi float64, n int) (ticks []float64, nlo, nhi float64) {
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / float64(max(1, n)))
	nlo = math.Floor(lo/step) * step
	nhi = math.Ceil(hi/step-1e-9) * step
	for v := nlo; v <= nhi+step/2; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	return ticks, nlo, nhi
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 × 10^k.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// timeSteps are round steps for a seconds axis.
var timeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}

// timeTicks returns round second ticks within [lo, hi], about n of them.
func timeTicks(lo, hi float64, n int) []float64 {
	raw := (hi - lo) / float64(max(1, n))
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if s >= raw {
			step = s
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, v)
	}
	return out
}
