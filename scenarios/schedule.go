package scenarios

import "time"

const day = 24 * time.Hour

// TimeOfDay returns the simulated time of day after elapsed real time
// since traffic started: StartHour + elapsed × 24h/DayLength, modulo 24h.
func (t Traffic) TimeOfDay(elapsed time.Duration) ClockTime {
	sim := t.StartHour.Duration + t.simulated(elapsed)
	return ClockTime{((sim % day) + day) % day}
}

// Until returns the real time from elapsed until the simulated clock next
// shows at (0 when it shows at exactly now).
func (t Traffic) Until(elapsed time.Duration, at ClockTime) time.Duration {
	now := t.TimeOfDay(elapsed).Duration
	wait := ((at.Duration-now)%day + day) % day
	return time.Duration(float64(wait) * float64(t.DayLength.Duration) / float64(day)).Round(time.Millisecond)
}

func (t Traffic) simulated(real time.Duration) time.Duration {
	return time.Duration(float64(real) * float64(day) / float64(t.DayLength.Duration))
}

// MaxDuration is the longest a run of the scenario can take (real time,
// per strategy, strategies run in parallel): warmup, then for each release
// its wait and ReleaseTimeout (as if every release timed out), then the
// cooldown. Cluster setup is not included. s must be defaulted.
func (s *Scenario) MaxDuration() time.Duration {
	t := s.Spec.Warmup.Duration
	for _, r := range s.Spec.Releases {
		switch {
		case r.When.At != nil:
			t += s.Spec.Traffic.Until(t, *r.When.At)
		case r.When.AfterPrevious != nil:
			t += r.When.AfterPrevious.Duration
		}
		t += s.Spec.ReleaseTimeout.Duration
	}
	return t + s.Spec.Cooldown.Duration
}
