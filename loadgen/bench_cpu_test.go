package loadgen

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time. Benchmarks report
// CPU per operation next to wall time because the machine's cores are
// shared: wall time then includes waiting for a core, CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
