package loadgen

import (
	"testing"
	"time"
)

// BenchmarkPace measures one Pace call at a due hit (the attacker's cost
// per request for pacing).
func BenchmarkPace(b *testing.B) {
	pacers := []struct {
		name string
		p    Pacer
	}{
		{"constant", Constant{RPS: 5000}},
		{"step", Step{Steps: []StepRate{{time.Minute, 100}, {time.Minute, 5000}, {time.Minute, 1000}}}},
		{"spike", Spike{BaseRPS: 1000, PeakRPS: 5000, Start: time.Minute, Length: time.Minute}},
		{"diurnal-sine", Diurnal{TroughRPS: 100, PeakRPS: 5000, Day: time.Minute, PeakHour: 12}},
		{"diurnal-hourly", bumpDay(time.Minute, 3)},
	}
	for _, pc := range pacers {
		b.Run(pc.name, func(b *testing.B) {
			elapsed := 90 * time.Second
			hits := uint64(pc.p.Hits(elapsed))
			for b.Loop() {
				wait, _ := pc.p.Pace(elapsed, hits)
				elapsed += wait
				hits++
			}
		})
	}
}
