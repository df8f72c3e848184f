package faultapp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/coalmine/coalmine/faults"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// eventually polls cond until it holds or a deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCrashAfterRequestsCallsExit(t *testing.T) {
	ts := newTestServer(t, `crash: {requests: 3, exitCode: 7}`)
	hs := httptest.NewServer(ts.Handler())
	defer hs.Close()
	for i := 1; i <= 3; i++ {
		resp, err := http.Get(hs.URL + RouteCatalog)
		if i < 3 {
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			resp.Body.Close()
			continue
		}
		if err == nil {
			resp.Body.Close()
			t.Fatalf("request %d got a response (%d); the connection should die", i, resp.StatusCode)
		}
	}
	if got := ts.exitCodes(); !slices.Equal(got, []int{7}) {
		t.Fatalf("exit calls %v, want [7]", got)
	}
}

func TestCrashAfterDuration(t *testing.T) {
	ts := newTestServer(t, `crash: {after: 2m}`)
	ts.clock.Advance(time.Minute + 59*time.Second)
	if got := ts.exitCodes(); len(got) != 0 {
		t.Fatalf("exited early: %v", got)
	}
	ts.clock.Advance(time.Second)
	if got := ts.exitCodes(); !slices.Equal(got, []int{faults.DefaultExitCode}) {
		t.Fatalf("exit calls %v, want [%d]", got, faults.DefaultExitCode)
	}
	if v := testutil.ToFloat64(ts.metrics.injected[KindCrash]); v != 1 {
		t.Fatalf("crash counter %v, want 1", v)
	}
}

func TestCrashReplacedOrSetLate(t *testing.T) {
	ts := newTestServer(t, `crash: {after: 1m, exitCode: 4}`)
	if err := ts.SetFaults(&faults.Faults{}); err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(2 * time.Minute)
	if got := ts.exitCodes(); len(got) != 0 {
		t.Fatalf("cleared crash fault still fired: %v", got)
	}
	// Onsets count from process start: a 1m crash set at 2m fires at once.
	if err := ts.SetFaults(mustFaults(t, `crash: {after: 1m, exitCode: 5}`)); err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(0)
	if got := ts.exitCodes(); !slices.Equal(got, []int{5}) {
		t.Fatalf("exit calls %v, want [5]", got)
	}
}

func TestLeakGrows(t *testing.T) {
	ts := newTestServer(t, `leak: {bytesPerRequest: 100000}`)
	h := ts.Handler()
	for i := 1; i <= 10; i++ {
		do(h, "GET", RouteCatalog, "", "")
		if got := ts.LeakedBytes(); got != int64(i)*100000 {
			t.Fatalf("after %d requests: %d bytes retained, want %d", i, got, i*100000)
		}
	}
	if v := gaugeValue(t, ts, "faultapp_leaked_bytes"); v != 1e6 {
		t.Fatalf("faultapp_leaked_bytes %v, want 1e6", v)
	}
	do(h, "GET", "/healthz", "", "")
	if ts.LeakedBytes() != 1e6 {
		t.Fatal("a probe leaked memory")
	}
}

func TestReadinessFlipsThroughProbe(t *testing.T) {
	ts := newTestServer(t, `readiness: {after: 90s}`)
	h := ts.Handler()
	if rec := do(h, "GET", "/readyz", "", ""); rec.Code != 200 || gaugeValue(t, ts, "faultapp_ready") != 1 {
		t.Fatalf("before onset: %d", rec.Code)
	}
	ts.clock.Advance(90 * time.Second)
	if rec := do(h, "GET", "/readyz", "", ""); rec.Code != 503 || gaugeValue(t, ts, "faultapp_ready") != 0 {
		t.Fatalf("after onset: %d", rec.Code)
	}
}

func TestCPUFaultBurnsCPU(t *testing.T) {
	ts := newTestServer(t, `cpu: {perRequest: 20ms}`)
	before := processCPU(t)
	do(ts.Handler(), "GET", RouteCatalog, "", "")
	if used := processCPU(t) - before; used < 20*time.Millisecond {
		t.Fatalf("request used %v of CPU, want ≥ 20ms", used)
	}
	if v := testutil.ToFloat64(ts.metrics.injected[KindCPU]); v != 1 {
		t.Fatalf("cpu counter %v, want 1", v)
	}
}

func processCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestLatencyWaitsOnTheClock(t *testing.T) {
	ts := newTestServer(t, `latency: {distribution: fixed, mean: 3s}`)
	done := make(chan int, 1)
	go func() { done <- do(ts.Handler(), "GET", RouteCatalog, "", "").Code }()
	eventually(t, "the delay timer", func() bool { return ts.clock.pending() == 1 })
	if v := gaugeValue(t, ts, "http_requests_in_flight"); v != 1 {
		t.Errorf("in flight %v during the delay, want 1", v)
	}
	select {
	case code := <-done:
		t.Fatalf("request finished (%d) before the delay elapsed", code)
	default:
	}
	ts.clock.Advance(3 * time.Second)
	if code := <-done; code != 200 {
		t.Fatalf("status %d", code)
	}
	if v := gaugeValue(t, ts, "http_requests_in_flight"); v != 0 {
		t.Errorf("in flight %v after the request, want 0", v)
	}
}

func TestClientGoneDuringDelay(t *testing.T) {
	ts := newTestServer(t, `latency: {distribution: fixed, mean: 3s}`)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, "GET", RouteCatalog, nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { ts.Handler().ServeHTTP(rec, req); close(done) }()
	eventually(t, "the delay timer", func() bool { return ts.clock.pending() == 1 })
	cancel()
	<-done
	if rec.Code != statusClientClosed {
		t.Fatalf("status %d, want %d", rec.Code, statusClientClosed)
	}
	if n := histCount(t, ts, map[string]string{"status_code": "499"}); n != 1 {
		t.Fatalf("499 observations %d, want 1", n)
	}
}
