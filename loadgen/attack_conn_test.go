package loadgen

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestAttackConnectionPerRequest checks that the option makes every request
// open its own connection (what lets kube-proxy spread requests over pods),
// and that without it connections are reused.
func TestAttackConnectionPerRequest(t *testing.T) {
	for _, perRequest := range []bool{true, false} {
		var conns atomic.Int64
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		cfg := AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 200}, Duration: time.Second, MaxRequests: 40,
			Seed: 1, MaxWorkers: 4, ConnectionPerRequest: perRequest}
		res, err := Attack(context.Background(), cfg, func(*Record) error { return nil })
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		n := conns.Load()
		if perRequest && n != int64(res.Requests) {
			t.Errorf("per request: %d connections for %d requests", n, res.Requests)
		}
		if !perRequest && n > int64(cfg.MaxWorkers) {
			t.Errorf("keep-alive: %d connections for %d requests, want ≤ %d", n, res.Requests, cfg.MaxWorkers)
		}
	}
}
