package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// AttackResult describes a finished attack.
type AttackResult struct {
	// Began is when the attack started (elapsed 0 of the pacer), Ended
	// when its last response was read.
	Began, Ended time.Time
	// Requests is how many records were delivered (requests sent).
	Requests uint64
	// Skipped is how many scheduled hits were dropped because the attacker
	// lagged more than MaxLag behind the pacer (see AttackConfig.MaxLag).
	Skipped uint64
	// Stop says why the attack ended.
	Stop StopReason
	// MaxRequests and MaxWorkers are the bounds that applied.
	MaxRequests uint64
	MaxWorkers  uint64
}

// Attack runs one bounded attack with vegeta and calls fn with the Record
// of every request, in completion order, as it completes. fn is called from
// one goroutine and must not retain the *Record (it is reused). The attack
// ends at cfg.Duration, after cfg.MaxRequests, when the pacer ends, when fn
// fails or when ctx is canceled: then no new request is sent and the
// requests in flight (bounded by cfg.Timeout) are still delivered to fn.
// On cancellation the error wraps ctx.Err(); the result is valid either way.
func Attack(ctx context.Context, cfg AttackConfig, fn func(*Record) error) (AttackResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return AttackResult{}, err
	}
	users, err := NewUsers(cfg.Users, cfg.Seed)
	if err != nil {
		return AttackResult{}, err
	}
	targets, err := NewTargets(cfg.Target, cfg.Mix, users, cfg.Seed)
	if err != nil {
		return AttackResult{}, err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bp := &boundedPacer{p: cfg.Pacer, duration: cfg.Duration, maxHits: cfg.MaxRequests,
		maxLag: cfg.MaxLag, done: ctx.Done()}
	attacker, transport := newAttacker(cfg)
	defer transport.CloseIdleConnections()
	stopOnCancel := context.AfterFunc(ctx, func() { attacker.Stop() })
	defer stopOnCancel()

	res := AttackResult{Began: time.Now(), MaxRequests: cfg.MaxRequests, MaxWorkers: cfg.MaxWorkers}
	results := attacker.Attack(targets.Targeter(), bp, cfg.Duration, "coalmine")
	fnErr := consume(results, fn, cancel, &res)
	res.Ended, res.Skipped, res.Stop = time.Now(), bp.skipped.Load(), bp.Reason()
	switch {
	case fnErr != nil:
		res.Stop = StopError
		return res, fmt.Errorf("record sink: %w", fnErr)
	case (res.Stop == "" || res.Stop == StopCanceled) && parent.Err() != nil:
		res.Stop = StopCanceled
		return res, fmt.Errorf("attack canceled: %w", context.Cause(parent))
	case res.Stop == "":
		res.Stop = StopDuration // vegeta's own duration check fired first
	}
	return res, nil
}

// consume turns every result into a Record for fn until the attack has
// drained; after an fn error it stops the attack and only drains.
func consume(results <-chan *vegeta.Result, fn func(*Record) error, stop func(), res *AttackResult) error {
	var rec Record
	var fnErr error
	for r := range results {
		res.Requests++
		if fnErr != nil {
			continue
		}
		fillRecord(&rec, r)
		if fnErr = fn(&rec); fnErr != nil {
			stop()
		}
	}
	return fnErr
}

// newAttacker returns a vegeta attacker with every bound set: workers,
// timeout, keep-alive connections (at most one per worker), no redirects
// (they could leave the allowed hosts), no proxy, response bodies
// discarded. The transport is returned so its idle connections can be
// closed after the attack.
func newAttacker(cfg AttackConfig) (*vegeta.Attacker, *http.Transport) {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        int(cfg.MaxWorkers),
		MaxIdleConnsPerHost: int(cfg.MaxWorkers),
		MaxConnsPerHost:     int(cfg.MaxWorkers),
		IdleConnTimeout:     90 * time.Second,
		DisableKeepAlives:   cfg.ConnectionPerRequest,
	}
	return vegeta.NewAttacker(
		vegeta.Client(&http.Client{Transport: tr}),
		vegeta.Workers(min(initialWorkers, cfg.MaxWorkers)),
		vegeta.MaxWorkers(cfg.MaxWorkers),
		vegeta.Timeout(cfg.Timeout),
		vegeta.KeepAlive(!cfg.ConnectionPerRequest),
		vegeta.Redirects(vegeta.NoFollow),
		vegeta.MaxBody(0),
	), tr
}
