package faultapp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/coalmine/coalmine/faults"
	"github.com/prometheus/client_golang/prometheus"
)

// testServer is a Server under test with its registry, clock and the exit
// codes its crash fault produced.
type testServer struct {
	*Server
	reg   *prometheus.Registry
	clock *fakeClock

	mu    sync.Mutex
	exits []int
}

func newTestServer(t testing.TB, faults string) *testServer {
	t.Helper()
	ts := &testServer{reg: prometheus.NewRegistry(), clock: newFakeClock()}
	srv, err := New(Options{
		Version: "v2", Faults: mustFaults(t, faults), Seed: 42, Clock: ts.clock,
		Registerer: ts.reg, Gatherer: ts.reg, AdminToken: "s3cret",
		Exit: func(code int) { ts.mu.Lock(); ts.exits = append(ts.exits, code); ts.mu.Unlock() },
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(srv.Close)
	ts.Server = srv
	return ts
}

func (ts *testServer) exitCodes() []int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]int(nil), ts.exits...)
}

// do serves one request through h and returns the recorder.
func do(h http.Handler, method, target, user, body string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if user != "" {
		req.Header.Set(UserHeader, user)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestNewRejectsBadOptions(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a version succeeded")
	}
	_, err := New(Options{Version: "v1", Faults: &faults.Faults{Errors: &faults.ErrorFault{Rate: 3}}})
	if err == nil || !strings.Contains(err.Error(), "errors.rate") {
		t.Errorf("New with rate 3: %v", err)
	}
	reg := prometheus.NewRegistry()
	if _, err := New(Options{Version: "v1", Registerer: reg, Gatherer: reg}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Version: "v1", Registerer: reg, Gatherer: reg}); err == nil {
		t.Error("second Server on the same registry: no error")
	}
}
