package faultapp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkEndpoints measures each endpoint in process (instrumentation,
// fault decision and handler; no network).
func BenchmarkEndpoints(b *testing.B) {
	endpoints := []struct{ name, method, target, body string }{
		{"catalog", "GET", "/api/catalog", ""},
		{"search", "GET", "/api/search?q=lamp", ""},
		{"cart-get", "GET", "/api/cart", ""},
		{"cart-post", "POST", "/api/cart", `{"sku":"SKU-0001"}`},
		{"checkout", "POST", "/api/checkout", ""},
		{"healthz", "GET", "/healthz", ""},
	}
	for _, fc := range []struct{ name, src string }{
		{"no-faults", ""},
		{"errors-cohort-minRPS", `errors: {rate: 0.01, cohort: 0.5, minRPS: 10}`},
	} {
		h := newTestServer(b, fc.src).Handler()
		for _, e := range endpoints {
			b.Run(fc.name+"/"+e.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					var body io.Reader
					if e.body != "" {
						body = strings.NewReader(e.body)
					}
					req := httptest.NewRequest(e.method, e.target, body)
					req.Header.Set(UserHeader, userIDs[i%len(userIDs)])
					h.ServeHTTP(httptest.NewRecorder(), req)
				}
			})
		}
	}
}

var userIDs = []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"}

// BenchmarkDecide measures the per-request fault decision alone.
func BenchmarkDecide(b *testing.B) {
	d := newDecider(SystemClock(), 1, mustFaults(b, `errors: {rate: 0.01, cohort: 0.5, minRPS: 10}
latency: {distribution: lognormal, mean: 1ms, stddev: 1ms, share: 0.1}`))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d.decide(0, "user-42")
		}
	})
}

// BenchmarkLoopback measures GET /api/catalog over real loopback HTTP
// with keep-alive, client included: run with -cpu 1 to see what one core
// sustains (1e9 / ns/op requests per second, an upper bound on cost).
func BenchmarkLoopback(b *testing.B) {
	hs := httptest.NewServer(newTestServer(b, "").Handler())
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(hs.URL + RouteCatalog)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
