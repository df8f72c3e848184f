package score

import "math"

// KL is the Kullback–Leibler divergence KL(a‖b) of Bernoulli(a) from
// Bernoulli(b), in nats. It is +Inf when b is 0 or 1 and a differs.
func KL(a, b float64) float64 {
	return xlogxy(a, b) + xlogxy(1-a, 1-b)
}

// xlogxy is x·ln(x/y) with 0·ln(0/y) = 0.
func xlogxy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	if y == 0 {
		return math.Inf(1)
	}
	return x * math.Log(x/y)
}

// SPRTExpectedSamples is Wald's approximation of the average number of
// samples his sequential probability ratio test needs to accept H1 when it
// is true, testing Bernoulli p0 (H0) against p1 (H1) with false-alarm rate
// alpha and miss rate beta:
//
//	E[N|H1] ≈ [(1−β)·ln((1−β)/α) + β·ln(β/(1−α))] / KL(p1‖p0)
//
// No test with the same α and β needs fewer samples on average. It returns
// +Inf when p1 equals p0 (the rates cannot be told apart) and 0 when p0 is 0
// and p1 is not (one failure settles it; callers avoid p0 = 0).
func SPRTExpectedSamples(p0, p1, alpha, beta float64) float64 {
	num := (1-beta)*math.Log((1-beta)/alpha) + beta*math.Log(beta/(1-alpha))
	kl := KL(p1, p0)
	if kl == 0 {
		return math.Inf(1)
	}
	return num / kl
}
