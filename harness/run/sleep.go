package run

import (
	"context"
	"time"
)

// sleep waits d or until ctx ends (then it returns ctx's cause). It is the
// engine's only timed wait: the scenario's schedule, not a poll.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return context.Cause(ctx)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
