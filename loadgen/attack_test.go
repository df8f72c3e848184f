package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// shop is a real HTTP server on 127.0.0.1 standing in for faultapp: users
// whose ID ends in 0 are served by v2, checkout fails with 500.
type shop struct {
	*httptest.Server
	mu   sync.Mutex
	seen map[string]int // "METHOD path user" → count
	hits atomic.Int64
}

func newShop(t *testing.T, delay time.Duration) *shop {
	s := &shop{seen: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user := r.Header.Get("X-User-ID")
		s.mu.Lock()
		s.seen[r.Method+" "+r.URL.Path+" "+user]++
		s.mu.Unlock()
		if delay > 0 {
			time.Sleep(delay) // a slow server, not a wait for a condition
		}
		version := "v1"
		if strings.HasSuffix(user, "0") {
			version = "v2"
		}
		w.Header().Set("X-Coalmine-Version", version)
		if r.URL.Path == "/api/checkout" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
		s.hits.Add(1)
	}))
	t.Cleanup(s.Close)
	return s
}

var endpointPaths = map[string]string{
	"catalog": "GET /api/catalog", "search": "GET /api/search", "cart-view": "GET /api/cart",
	"cart-add": "POST /api/cart", "checkout": "POST /api/checkout",
}

func TestAttackRecordsEveryRequest(t *testing.T) {
	srv := newShop(t, 0)
	var recs []Record
	sb := NewSummaryBuilder()
	cfg := AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 200}, Duration: time.Second, Seed: 1,
		Users: Population{Count: 50, Skew: 1.1}, MaxWorkers: 16}
	res, err := Attack(context.Background(), cfg, func(r *Record) error {
		recs = append(recs, *r)
		sb.Observe(r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 200/s for 1 s. How many go out in time depends on the machine's load
	// (late hits are skipped and counted), so only the pacer's bound and
	// the accounting are asserted, never a rate.
	if res.Requests == 0 || res.Requests+res.Skipped > 200 || uint64(len(recs)) != res.Requests {
		t.Fatalf("%d requests (+%d skipped), %d records; want ≤ 200 in all (200/s for 1s), one record each",
			res.Requests, res.Skipped, len(recs))
	}
	if res.Stop != StopDuration || res.MaxRequests != 200 || res.MaxWorkers != 16 {
		t.Errorf("result %+v", res)
	}
	fromRecords := map[string]int{}
	for _, r := range recs {
		path, ok := endpointPaths[r.Endpoint]
		if !ok || !strings.HasPrefix(r.User, "u000") || r.Start.Before(res.Began) || r.Latency <= 0 {
			t.Fatalf("bad record %+v", r)
		}
		wantVersion, wantStatus := "v1", 200
		if strings.HasSuffix(r.User, "0") {
			wantVersion = "v2"
		}
		if r.Endpoint == "checkout" {
			wantStatus = 500
		}
		if r.Version != wantVersion || r.Status != wantStatus || (wantStatus == 500) != (r.Error != "") {
			t.Errorf("record %+v: want version %s status %d", r, wantVersion, wantStatus)
		}
		fromRecords[path+" "+r.User]++
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(fromRecords) != len(srv.seen) {
		t.Errorf("records name %d (endpoint, user) pairs, the server saw %d", len(fromRecords), len(srv.seen))
	}
	for k, n := range srv.seen {
		if fromRecords[k] != n {
			t.Errorf("%s: server saw %d, records say %d", k, n, fromRecords[k])
		}
	}
	s := sb.Summary()
	if s.Requests != res.Requests || s.ByVersion["v1"].Requests+s.ByVersion["v2"].Requests != s.Requests ||
		s.Errors != s.ByEndpoint["checkout"].Requests || s.AchievedRPS <= 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestAttackBounds(t *testing.T) {
	srv := newShop(t, 0)
	tests := []struct {
		name     string
		cfg      AttackConfig
		requests uint64
		stop     StopReason
	}{
		{"max requests", AttackConfig{Pacer: Constant{RPS: 500}, Duration: 10 * time.Second, MaxRequests: 37}, 37, StopMaxRequests},
		{"pacer ends", AttackConfig{Pacer: Step{Steps: []StepRate{{200 * time.Millisecond, 100}}}, Duration: 10 * time.Second, MaxRequests: 1000}, 20, StopPacer},
		{"duration", AttackConfig{Pacer: Spike{BaseRPS: 50, PeakRPS: 500, Start: 100 * time.Millisecond, Length: 100 * time.Millisecond}, Duration: 300 * time.Second / 1000}, 5 + 50 + 5 - 1, StopDuration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Target = srv.URL
			res, err := Attack(context.Background(), tt.cfg, func(*Record) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			// Never more than scheduled; a loaded machine may miss the last
			// hits before the deadline.
			d := int64(res.Requests) - int64(tt.requests)
			if d < -int64(tt.requests)/10-1 || d > 1 || res.Stop != tt.stop {
				t.Fatalf("%d requests, stop %q; want %d (-10%%, +1), %q", res.Requests, res.Stop, tt.requests, tt.stop)
			}
		})
	}
}

// TestAttackCancel cancels mid-attack: the attack stops long before its
// duration and the records file holds every request the server completed.
func TestAttackCancel(t *testing.T) {
	srv := newShop(t, 0)
	path := filepath.Join(t.TempDir(), "records.tsv")
	rec, err := CreateRecorder(path, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 300}, Duration: 60 * time.Second}
	res, err := Attack(ctx, cfg, func(r *Record) error {
		if rec.Count() == 60 {
			cancel()
		}
		return rec.Write(r)
	})
	if !errors.Is(err, context.Canceled) || res.Stop != StopCanceled {
		t.Fatalf("err %v stop %q, want context.Canceled, canceled", err, res.Stop)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Requests < 60 || res.Requests > 200 || res.Ended.Sub(res.Began) > 10*time.Second {
		t.Fatalf("%d requests in %s: the attack did not stop promptly", res.Requests, res.Ended.Sub(res.Began))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var inFile int64
	if err := ReadRecords(f, func(*Record) error { inFile++; return nil }); err != nil {
		t.Fatal(err)
	}
	if inFile != int64(res.Requests) || inFile != srv.hits.Load() {
		t.Fatalf("file holds %d records, attack sent %d, server completed %d", inFile, res.Requests, srv.hits.Load())
	}
}

// TestAttackCancelDuringLongGap: a pacer with a 10 s gap must not delay
// the cancellation by that gap.
func TestAttackCancelDuringLongGap(t *testing.T) {
	srv := newShop(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	began := time.Now()
	res, err := Attack(ctx, AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 0.1}, Duration: time.Minute},
		func(*Record) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) || res.Requests != 0 {
		t.Fatalf("err %v after %d requests, want deadline exceeded after 0", err, res.Requests)
	}
	if waited := time.Since(began); waited > 5*time.Second {
		t.Fatalf("cancellation took %s: it waited for the pacer's 10 s gap", waited)
	}
}

func TestAttackSinkError(t *testing.T) {
	srv := newShop(t, 0)
	boom := errors.New("disk full")
	n := 0
	res, err := Attack(context.Background(), AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 200}, Duration: 30 * time.Second},
		func(*Record) error {
			if n++; n == 10 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) || res.Stop != StopError || n != 10 || res.Requests > 100 {
		t.Fatalf("err %v stop %q, %d calls, %d requests", err, res.Stop, n, res.Requests)
	}
}

// TestAttackSkipsWhenSaturated: 2 workers against a 100 ms server cannot
// send 100/s; late hits are skipped and counted, not burst out later.
func TestAttackSkipsWhenSaturated(t *testing.T) {
	srv := newShop(t, 100*time.Millisecond)
	res, err := Attack(context.Background(), AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 100},
		Duration: 1500 * time.Millisecond, MaxWorkers: 2, MaxLag: 200 * time.Millisecond}, func(*Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped == 0 || res.Requests > 40 || res.Requests+res.Skipped > 150 {
		t.Fatalf("%d sent, %d skipped: want few sent (2 workers × 10/s) and the rest skipped", res.Requests, res.Skipped)
	}
}

func TestAttackConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  AttackConfig
		want []string
	}{
		{"remote target", AttackConfig{Target: "http://192.0.2.1:80", Pacer: Constant{RPS: 1}, Duration: time.Second}, []string{"not loopback"}},
		{"everything", AttackConfig{Target: "http://127.0.0.1:1", Pacer: Constant{}, Mix: Mix{{Name: "x"}}, Users: Population{Count: -1}},
			[]string{"duration must be > 0", "rate must be > 0", "absolute path", "count must be ≥ 1"}},
		{"no pacer", AttackConfig{Target: "http://127.0.0.1:1", Duration: time.Second}, []string{"no pacer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Attack(context.Background(), tt.cfg, func(*Record) error { return nil })
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestAttackConnectionRefused(t *testing.T) {
	srv := newShop(t, 0)
	url := srv.URL
	srv.Close() // nothing listens there any more
	var recs []Record
	_, err := Attack(context.Background(), AttackConfig{Target: url, Pacer: Constant{RPS: 100}, Duration: 100 * time.Millisecond},
		func(r *Record) error { recs = append(recs, *r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 9 {
		t.Fatalf("%d records, want 9..10", len(recs))
	}
	for _, r := range recs {
		if r.Status != 0 || !r.Failed() || r.Endpoint == "" || r.User == "" || strings.Contains(r.Error, "#ep=") ||
			!strings.Contains(r.Error, "refused") {
			t.Fatalf("record %+v", r)
		}
	}
}

// TestAttackLeavesNoGoroutines: workers, the pacing loop, the flush and the
// keep-alive connections (client and server side) are all gone afterwards.
func TestAttackLeavesNoGoroutines(t *testing.T) {
	srv := newShop(t, 0)
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _ = Attack(ctx, AttackConfig{Target: srv.URL, Pacer: Constant{RPS: 500}, Duration: time.Minute},
		func(*Record) error { return nil })
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before the attack:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
		<-time.After(10 * time.Millisecond)
	}
}
