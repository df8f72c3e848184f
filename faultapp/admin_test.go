package faultapp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func adminDo(h http.Handler, method, token, body, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/admin/faults", strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAdminAuth(t *testing.T) {
	tests := []struct {
		name, method, auth string
		want               int
	}{
		{"no token", "GET", "", 401},
		{"wrong token", "GET", "Bearer nope", 401},
		{"token without scheme", "GET", "s3cret", 401},
		{"basic scheme", "GET", "Basic s3cret", 401},
		{"PUT without token", "PUT", "", 401},
		{"right token", "GET", "Bearer s3cret", 200},
	}
	h := newTestServer(t, `errors: {rate: 0.1}`).AdminHandler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/admin/faults", strings.NewReader(`{}`))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

func TestAdminOffWithoutToken(t *testing.T) {
	srv, err := New(Options{Version: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"", "anything"} {
		if rec := adminDo(srv.AdminHandler(), "GET", token, "", ""); rec.Code != 401 {
			t.Errorf("token %q: status %d, want 401", token, rec.Code)
		}
	}
}

func TestAdminPutBadPayloadKeepsFaults(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty body"},
		{"unknown field", `{"errors": {"rate": 0.5, "rat": 1}}`, "errors.rat: unknown field"},
		{"invalid value", "errors: {rate: 7}", "errors.rate: must be in [0, 1]"},
		{"syntax", "errors: [", "yaml:"},
	}
	ts := newTestServer(t, `errors: {rate: 0.1}`)
	h := ts.AdminHandler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := adminDo(h, "PUT", "s3cret", tt.body, "")
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), tt.want) {
				t.Fatalf("status %d body %s, want 400 with %q", rec.Code, rec.Body, tt.want)
			}
			if got := ts.Faults(); got.Errors == nil || got.Errors.Rate != 0.1 {
				t.Fatalf("faults changed to %+v", got)
			}
		})
	}
}

func TestAdminPutReplaces(t *testing.T) {
	ts := newTestServer(t, `errors: {rate: 0.1}`)
	h, api := ts.AdminHandler(), ts.Handler()
	rec := adminDo(h, "PUT", "s3cret", "errors: {rate: 1, status: 502}\n", "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status": 502`) {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	if rec := adminDo(h, "GET", "s3cret", "", ""); !strings.Contains(rec.Body.String(), `"rate": 1,`) {
		t.Fatalf("GET after PUT: %s", rec.Body)
	}
	if rec := do(api, "GET", RouteCatalog, "", ""); rec.Code != 502 {
		t.Fatalf("API status %d after PUT, want 502", rec.Code)
	}
	if rec := adminDo(h, "GET", "s3cret", "", "application/yaml"); !strings.Contains(rec.Body.String(), "status: 502") {
		t.Fatalf("YAML GET: %s", rec.Body)
	}
	if rec := adminDo(h, "PUT", "s3cret", "{}", ""); rec.Code != 200 || !ts.Faults().IsZero() {
		t.Fatalf("clearing PUT: %d %+v", rec.Code, ts.Faults())
	}
	if rec := do(api, "GET", RouteCatalog, "", ""); rec.Code != 200 {
		t.Fatalf("API status %d after clearing, want 200", rec.Code)
	}
}
