package faults

import "time"

// Defaults applied by Default.
const (
	DefaultErrorStatus = 500
	DefaultExitCode    = 1
	// LatencyCap bounds every latency sample when LatencyFault.Max is 0.
	LatencyCap = time.Minute
)

// Default fills zero-valued optional fields with their defaults, in place,
// and makes empty path lists nil (both mean every route). Decode
// calls it; call it on a Faults built in code before Validate.
func (f *Faults) Default() {
	if f == nil {
		return
	}
	if e := f.Errors; e != nil {
		if e.Status == 0 {
			e.Status = DefaultErrorStatus
		}
		if len(e.Paths) == 0 {
			e.Paths = nil
		}
	}
	if l := f.Latency; l != nil {
		if l.Share == 0 {
			l.Share = 1
		}
		if len(l.Paths) == 0 {
			l.Paths = nil
		}
	}
	if c := f.Crash; c != nil && c.ExitCode == 0 {
		c.ExitCode = DefaultExitCode
	}
}
