package faultapp

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestHandlers(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		user, body   string
		wantStatus   int
		wantBody     string // substring
	}{
		{"catalog", "GET", "/api/catalog", "", "", 200, `"page":1,"pages":25`},
		{"catalog page 3", "GET", "/api/catalog?page=3", "", "", 200, `"sku":"SKU-0040"`},
		{"catalog bad page", "GET", "/api/catalog?page=x", "", "", 400, "page must be an integer"},
		{"catalog missing page", "GET", "/api/catalog?page=26", "", "", 404, "no page 26"},
		{"search", "GET", "/api/search?q=LAMP", "", "", 200, `"total":50`},
		{"search no match", "GET", "/api/search?q=zebra", "", "", 200, `"total":0,"items":[]`},
		{"search empty query", "GET", "/api/search", "", "", 200, `"total":500`},
		{"search query too long", "GET", "/api/search?q=" + strings.Repeat("a", 101), "", "", 400, "q longer than"},
		{"empty cart", "GET", "/api/cart", "alice", "", 200, `{"user":"alice","items":[],"totalCents":0}`},
		{"add to cart", "POST", "/api/cart", "bob", `{"sku":"SKU-0001","qty":2}`, 200, `"items":[{"sku":"SKU-0001","qty":2}],"totalCents":16236`},
		{"add featured", "POST", "/api/cart", "carol", "", 200, `"qty":1`},
		{"add unknown sku", "POST", "/api/cart", "dave", `{"sku":"SKU-9999"}`, 404, `no product \"SKU-9999\"`},
		{"add bad json", "POST", "/api/cart", "dave", `{"sku":`, 400, "bad cart item"},
		{"add unknown field", "POST", "/api/cart", "dave", `{"sku":"SKU-0001","colour":"red"}`, 400, "unknown field"},
		{"add bad qty", "POST", "/api/cart", "dave", `{"sku":"SKU-0001","qty":0}`, 400, "qty must be in [1, 99]"},
		{"checkout empty cart", "POST", "/api/checkout", "erin", "", 200, `"items":[],"totalCents":0`},
		{"anonymous cart", "GET", "/api/cart", "", "", 200, `"user":"anonymous"`},
		{"wrong method", "DELETE", "/api/cart", "", "", 405, ""},
		{"unknown path", "GET", "/api/nope", "", "", 404, ""},
		{"healthz", "GET", "/healthz", "", "", 200, "ok"},
		{"readyz", "GET", "/readyz", "", "", 200, "ok"},
		{"metrics", "GET", "/metrics", "", "", 200, "faultapp_info"},
	}
	h := newTestServer(t, "").Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, tt.method, tt.path, tt.user, tt.body)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", rec.Code, tt.wantStatus, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body %s lacks %s", rec.Body, tt.wantBody)
			}
			if v := rec.Header().Get(VersionHeader); v != "v2" {
				t.Errorf("%s = %q, want v2", VersionHeader, v)
			}
		})
	}
}

func TestCartToCheckout(t *testing.T) {
	h := newTestServer(t, "").Handler()
	do(h, "POST", "/api/cart", "zoe", `{"sku":"SKU-0002","qty":1}`)
	do(h, "POST", "/api/cart", "zoe", `{"sku":"SKU-0002","qty":2}`)
	do(h, "POST", "/api/cart", "zoe", `{"sku":"SKU-0003"}`)
	rec := do(h, "POST", "/api/checkout", "zoe", "")
	var o Order
	if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("checkout: %d %s %v", rec.Code, rec.Body, err)
	}
	want := []CartItem{{"SKU-0002", 3}, {"SKU-0003", 1}}
	if len(o.ID) != 24 || o.User != "zoe" || len(o.Items) != 2 || o.Items[0] != want[0] || o.Items[1] != want[1] ||
		o.TotalCents != 3*16037+3956 {
		t.Fatalf("order %+v", o)
	}
	if rec := do(h, "GET", "/api/cart", "zoe", ""); !strings.Contains(rec.Body.String(), `"items":[]`) {
		t.Fatalf("cart not emptied by checkout: %s", rec.Body)
	}
	if again := do(h, "POST", "/api/checkout", "zoe", ""); strings.Contains(again.Body.String(), o.ID) {
		t.Fatal("two orders with the same id")
	}
}

func TestInjectedFaultsThroughHandlers(t *testing.T) {
	tests := []struct {
		name       string
		faults     string
		method     string
		path       string
		wantStatus int
	}{
		{"error on its path", `errors: {rate: 1, status: 503, paths: [/api/checkout]}`, "POST", "/api/checkout", 503},
		{"no error elsewhere", `errors: {rate: 1, status: 503, paths: [/api/checkout]}`, "GET", "/api/catalog", 200},
		{"probes never get errors", `errors: {rate: 1}`, "GET", "/healthz", 200},
		{"metrics never get errors", `errors: {rate: 1}`, "GET", "/metrics", 200},
		{"readiness fault from start", `readiness: {after: 0s}`, "GET", "/readyz", 503},
		{"liveness unaffected by readiness", `readiness: {after: 0s}`, "GET", "/healthz", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(newTestServer(t, tt.faults).Handler(), tt.method, tt.path, "u", "")
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if rec.Header().Get(VersionHeader) != "v2" {
				t.Error("version header missing on a faulty response")
			}
		})
	}
}
