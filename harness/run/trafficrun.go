package run

import (
	"context"
	"errors"
	"time"

	"github.com/coalmine/coalmine/loadgen"
)

// trafficRun is one strategy's running attack: records streamed to a
// file, live per-version stats for the progress display.
type trafficRun struct {
	began  time.Time
	rec    *loadgen.Recorder
	live   *loadgen.LiveStats
	cancel context.CancelFunc
	done   chan struct{}
	res    loadgen.AttackResult
	err    error
}

// startTraffic starts cfg's attack in the background, recording to path.
func startTraffic(ctx context.Context, cfg loadgen.AttackConfig, path string, now func() time.Time) (*trafficRun, error) {
	rec, err := loadgen.CreateRecorder(path, 0)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithCancel(ctx)
	t := &trafficRun{rec: rec, live: loadgen.NewLiveStats(), cancel: cancel, done: make(chan struct{}), began: now()}
	go func() {
		defer close(t.done)
		t.res, t.err = loadgen.Attack(actx, cfg, func(r *loadgen.Record) error {
			t.live.Observe(r)
			return t.rec.Write(r)
		})
	}()
	return t, nil
}

// running reports whether the attack is still sending.
func (t *trafficRun) running() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}

// elapsed is the real time since the traffic started: the simulated
// clock's reading is StartHour plus elapsed × time scale.
func (t *trafficRun) elapsed(now time.Time) time.Duration { return now.Sub(t.began) }

// stop ends the attack, waits for the requests in flight and closes the
// records file. Stopping is not an error.
func (t *trafficRun) stop() (loadgen.AttackResult, error) {
	t.cancel()
	<-t.done
	err := t.err
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return t.res, errors.Join(err, t.rec.Close())
}
