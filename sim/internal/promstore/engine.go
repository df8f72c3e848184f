package promstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
)

// Engine settings: the defaults of cmd/prometheus/main.go in Prometheus
// v3.13.5 (flags query.lookback-delta, query.max-samples, query.timeout;
// EnableAtModifier and EnableNegativeOffset always on since v2.33; every
// --enable-feature option off, as the cluster's Prometheus runs without
// any: no experimental functions or duration expressions in the parser, no
// delayed name removal, no start timestamps in rate()).
const (
	lookbackDelta = 5 * time.Minute
	maxSamples    = 50_000_000
	queryTimeout  = 2 * time.Minute
)

// engine is the PromQL engine a store uses.
type engine = *promql.Engine

var (
	enginesMu sync.Mutex
	engines   = map[time.Duration]*promql.Engine{}
)

// engineFor returns the process-wide engine (engines are safe for
// concurrent use) whose subqueries without a step use eval, the global
// evaluation interval, as NoStepSubqueryIntervalFn does in cmd/prometheus
// (coalmine configures it equal to the scrape interval).
func engineFor(eval time.Duration) *promql.Engine {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if e, ok := engines[eval]; ok {
		return e
	}
	ms := eval.Milliseconds()
	e := promql.NewEngine(promql.EngineOpts{
		MaxSamples:               maxSamples,
		Timeout:                  queryTimeout,
		LookbackDelta:            lookbackDelta,
		NoStepSubqueryIntervalFn: func(int64) int64 { return ms },
		EnableAtModifier:         true,
		EnableNegativeOffset:     true,
		Parser:                   parser.NewParser(parser.Options{}),
	})
	engines[eval] = e
	return e
}

// badQueryError is a query the engine refuses before evaluating it (a
// parse error, for one).
type badQueryError struct{ err error }

func (e badQueryError) Error() string { return "invalid query: " + e.err.Error() }
func (e badQueryError) Unwrap() error { return e.err }

// Query evaluates the instant query q at virtual time at (truncated to the
// millisecond, as the engine does) and returns its value: a promql.Vector,
// promql.Scalar, promql.Matrix or promql.String that stays valid after
// the call. A query that does not parse returns an error that says where
// and why; a query that fails to evaluate returns the engine's error.
func (s *Store) Query(ctx context.Context, q string, at time.Time) (parser.Value, error) {
	v, err := s.query(ctx, q, at)
	if err != nil {
		return nil, fmt.Errorf("promstore: %w", err)
	}
	return v, nil
}

// query evaluates q at at under the read lock; the error is a
// badQueryError when the engine refuses q.
func (s *Store) query(ctx context.Context, q string, at time.Time) (parser.Value, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	qy, err := s.engine.NewInstantQuery(ctx, queryable{s: s, ms: at.UnixMilli()}, nil, q, at)
	if err != nil {
		return nil, badQueryError{err}
	}
	defer qy.Close()
	res := qy.Exec(ctx)
	if res.Err != nil {
		return nil, res.Err
	}
	return detach(res.Value), nil
}

// detach copies a matrix out of the engine's pools, which Close refills.
func detach(v parser.Value) parser.Value {
	m, ok := v.(promql.Matrix)
	if !ok {
		return v
	}
	out := make(promql.Matrix, len(m))
	for i, sr := range m {
		out[i] = promql.Series{
			Metric:     sr.Metric,
			Floats:     append([]promql.FPoint(nil), sr.Floats...),
			Histograms: append([]promql.HPoint(nil), sr.Histograms...),
			DropName:   sr.DropName,
		}
	}
	return out
}
