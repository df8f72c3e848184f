package faultapp

import (
	"context"
	"net/http"
	"time"
)

// statusClientClosed is recorded when the client goes away during an
// injected delay (nginx's convention).
const statusClientClosed = 499

// inject applies the fault decision of each request to route (a routeID)
// before next: crash, leak, CPU burn, delay, then an injected error
// instead of the real response.
func (s *Server) inject(route int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := s.decider.decide(route, r.Header.Get(UserHeader))
		if d.ExitCode != 0 {
			s.crash(d.ExitCode, "requests")
			panic(http.ErrAbortHandler) // the connection dies with the process
		}
		if d.Leak > 0 {
			s.leak.retain(d.Leak)
			s.metrics.injected[KindLeak].Inc()
		}
		if d.Burn > 0 {
			burnCPU(d.Burn)
			s.metrics.injected[KindCPU].Inc()
		}
		if d.Delay > 0 {
			s.metrics.injected[KindLatency].Inc()
			if !sleep(r.Context(), s.opts.Clock, d.Delay) {
				writeError(w, statusClientClosed, "client closed request")
				return
			}
		}
		if d.Status != 0 {
			s.metrics.injected[KindError].Inc()
			writeError(w, d.Status, "injected fault")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sleep waits d on clock; false when ctx ends first.
func sleep(ctx context.Context, clock Clock, d time.Duration) bool {
	done := make(chan struct{})
	t := clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return true
	case <-ctx.Done():
		t.Stop()
		return false
	}
}
