package run

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coalmine/coalmine/harness/deploy"
)

// nodePortReleaseTimeout bounds the wait for a free traffic entry. The API
// server releases a deleted Service's NodePort only some time after the
// Service is gone (one to three minutes have been seen), so an entry used
// a moment ago, by this run or an earlier one, may still be held.
const nodePortReleaseTimeout = 4 * time.Minute

// nodePortRetryEvery is how often a round over held entries is retried
// (tests shorten it).
var nodePortRetryEvery = 3 * time.Second

// entryPool hands out the cluster's traffic entries: each strategy
// running at a time holds one.
type entryPool struct {
	ch chan Entry
	n  int
}

func newEntryPool(entries []Entry) *entryPool {
	p := &entryPool{ch: make(chan Entry, len(entries)), n: len(entries)}
	for _, e := range entries {
		p.ch <- e
	}
	return p
}

func (p *entryPool) take(ctx context.Context) (Entry, error) {
	select {
	case e := <-p.ch:
		return e, nil
	case <-ctx.Done():
		return Entry{}, context.Cause(ctx)
	}
}

func (p *entryPool) put(e Entry) { p.ch <- e }

// deploy applies the strategy's objects on a traffic entry of the pool and
// returns it. An entry whose NodePort is still held goes back to the pool
// and the next one is tried; after a whole round of held entries it waits
// nodePortRetryEvery, up to nodePortReleaseTimeout.
func (r *strategyRunner) deploy(ctx context.Context, pool *entryPool) (Entry, error) {
	deadline := r.e.o.Now().Add(nodePortReleaseTimeout)
	held := map[int32]bool{}
	for {
		entry, err := pool.take(ctx)
		if err != nil {
			return Entry{}, err
		}
		objs, err := deploy.Objects(r.spec(entry, r.pods[0]))
		if err == nil {
			err = r.e.api.Apply(ctx, objs...)
		}
		if err == nil {
			return entry, nil
		}
		pool.put(entry)
		if !portHeld(err) {
			return Entry{}, err
		}
		held[entry.NodePort] = true
		r.status.set(fmt.Sprintf("NodePort %d held, trying another", entry.NodePort))
		if len(held) < pool.n {
			continue
		}
		if r.e.o.Now().After(deadline) {
			return Entry{}, fmt.Errorf("%w (every traffic entry still held after %s: does another run use them? "+
				"kubectl get namespaces -l %s)", err, nodePortReleaseTimeout, deploy.LabelRun)
		}
		clear(held)
		if err := sleep(ctx, nodePortRetryEvery); err != nil {
			return Entry{}, err
		}
	}
}

func portHeld(err error) bool {
	return strings.Contains(err.Error(), "provided port is already allocated")
}
