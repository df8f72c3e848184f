package faultapp

import "github.com/coalmine/coalmine/faults"

// scheduleCrash arms the crash timer of c (New's initial faults).
func (s *Server) scheduleCrash(c *faults.CrashFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scheduleCrashLocked(c)
}

// scheduleCrashLocked replaces the crash timer: c.After is measured from
// process start, so a crash fault set late may fire at once.
func (s *Server) scheduleCrashLocked(c *faults.CrashFault) {
	if s.crashTimer != nil {
		s.crashTimer.Stop()
		s.crashTimer = nil
	}
	if c == nil || c.After == 0 {
		return
	}
	wait := max(s.decider.start.Add(c.After.D()).Sub(s.opts.Clock.Now()), 0)
	code := c.ExitCode
	s.crashTimer = s.opts.Clock.AfterFunc(wait, func() { s.crash(code, "after") })
}

// crash ends the process through Options.Exit, once.
func (s *Server) crash(code int, reason string) {
	s.crashOnce.Do(func() {
		s.metrics.injected[KindCrash].Inc()
		s.log.Warn("crash fault: exiting", "exitCode", code, "reason", reason)
		s.opts.Exit(code)
	})
}
