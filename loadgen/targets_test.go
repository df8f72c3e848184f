package loadgen

import (
	"math"
	"net/url"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func newTestTargets(t *testing.T, mix Mix, seed int64) *Targets {
	t.Helper()
	users, err := NewUsers(Population{Count: 100, Skew: 1.1}, seed)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTargets("http://127.0.0.1:8080/", mix, users, seed)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestTargetsMixProportions(t *testing.T) {
	const n = 100000
	mix := DefaultMix()
	tg := newTestTargets(t, mix, 1)
	counts := map[string]int{}
	queries := map[string]int{}
	var tgt vegeta.Target
	for range n {
		if err := tg.Next(&tgt); err != nil {
			t.Fatal(err)
		}
		ep, user := parseTag(tgt.URL)
		counts[ep]++
		if tgt.Header.Get("X-User-ID") != user || !strings.HasPrefix(user, "u000") {
			t.Fatalf("user header %q vs tag %q", tgt.Header.Get("X-User-ID"), user)
		}
		u, err := url.Parse(tgt.URL)
		if err != nil {
			t.Fatal(err)
		}
		if ep == "search" {
			queries[u.Query().Get("q")]++
		}
	}
	var total float64
	for _, e := range mix {
		total += e.Weight
	}
	for _, e := range mix {
		p := e.Weight / total
		want := p * n
		tol := 5 * math.Sqrt(n*p*(1-p))
		if got := float64(counts[e.Name]); math.Abs(got-want) > tol {
			t.Errorf("%s: %v requests, want %.0f ± %.0f", e.Name, got, want, tol)
		}
	}
	if len(queries) != len(mix[1].Queries) {
		t.Errorf("search used %d distinct queries, want %d: %v", len(queries), len(mix[1].Queries), queries)
	}
}

func TestTargetsRequestShape(t *testing.T) {
	mix := Mix{
		{Name: "get", Path: "/api/catalog", Weight: 1},
		{Name: "post", Method: "POST", Path: "/api/cart?x=1", Queries: []string{"q=a"}, Body: []byte(`{"a":1}`), Weight: 1},
	}
	tg := newTestTargets(t, mix, 3)
	seen := map[string]bool{}
	var tgt vegeta.Target
	for range 50 {
		if err := tg.Next(&tgt); err != nil {
			t.Fatal(err)
		}
		ep, user := parseTag(tgt.URL)
		seen[ep] = true
		req, err := tgt.Request()
		if err != nil {
			t.Fatal(err)
		}
		if req.URL.RequestURI() == "" || strings.Contains(req.URL.RequestURI(), "#") {
			t.Fatalf("the tag would be sent: %q", req.URL.RequestURI())
		}
		switch ep {
		case "get":
			if tgt.Method != "GET" || req.URL.RequestURI() != "/api/catalog" || tgt.Body != nil || req.Header.Get("Content-Type") != "" {
				t.Errorf("get: %s %s body %q", tgt.Method, req.URL.RequestURI(), tgt.Body)
			}
		case "post":
			if tgt.Method != "POST" || req.URL.RequestURI() != "/api/cart?x=1&q=a" || string(tgt.Body) != `{"a":1}` ||
				req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("post: %s %s body %q", tgt.Method, req.URL.RequestURI(), tgt.Body)
			}
		}
		if req.Header.Get("X-User-ID") != user {
			t.Errorf("X-User-ID %q, tag user %q", req.Header.Get("X-User-ID"), user)
		}
	}
	if !seen["get"] || !seen["post"] {
		t.Errorf("endpoints seen: %v", seen)
	}
}

func TestTargetsDeterministicUnderSeed(t *testing.T) {
	seq := func(seed int64) []string {
		tg := newTestTargets(t, DefaultMix(), seed)
		var out []string
		var tgt vegeta.Target
		for range 200 {
			_ = tg.Next(&tgt)
			out = append(out, tgt.Method+" "+tgt.URL)
		}
		return out
	}
	a, b, c := seq(5), seq(5), seq(6)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("same seed, different sequences")
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Error("different seeds, same sequence")
	}
}

func TestMixValidate(t *testing.T) {
	tests := []struct {
		name string
		mix  Mix
		want string
	}{
		{"empty", Mix{}, "no endpoints"},
		{"bad name", Mix{{Name: "Bad Name", Path: "/", Weight: 1}}, `name "Bad Name"`},
		{"duplicate", Mix{{Name: "a", Path: "/", Weight: 1}, {Name: "a", Path: "/b", Weight: 1}}, "duplicate"},
		{"relative path", Mix{{Name: "a", Path: "api", Weight: 1}}, "absolute path"},
		{"fragment", Mix{{Name: "a", Path: "/a#b", Weight: 1}}, "absolute path"},
		{"zero weight", Mix{{Name: "a", Path: "/a"}}, "weight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.mix.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if err := DefaultMix().Validate(); err != nil {
		t.Fatalf("default mix: %v", err)
	}
}

func TestValidateTarget(t *testing.T) {
	tests := []struct {
		raw         string
		allowRemote bool
		want        string
		err         string
	}{
		{"http://127.0.0.1:8080", false, "http://127.0.0.1:8080", ""},
		{"http://127.0.0.1:8080/", false, "http://127.0.0.1:8080", ""},
		{"http://127.1.2.3", false, "http://127.1.2.3", ""},
		{"http://localhost:9", false, "http://localhost:9", ""},
		{"https://[::1]:8443", false, "https://[::1]:8443", ""},
		{"http://10.0.0.5:80", false, "", "not loopback"},
		{"http://example.com", false, "", "not loopback"},
		{"http://[::ffff:10.0.0.1]:80", false, "", "not loopback"},
		{"http://10.0.0.5:80", true, "http://10.0.0.5:80", ""},
		{"ftp://127.0.0.1", false, "", "scheme"},
		{"127.0.0.1:8080", false, "", ""},
		{"http://127.0.0.1/api", false, "", "host[:port] only"},
		{"http://u:p@127.0.0.1", false, "", "host[:port] only"},
		{"http://127.0.0.1?x=1", false, "", "host[:port] only"},
	}
	for _, tt := range tests {
		got, err := ValidateTarget(tt.raw, tt.allowRemote)
		switch {
		case tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("ValidateTarget(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("ValidateTarget(%q) = %q, want an error", tt.raw, got)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ValidateTarget(%q) error %v, want %q", tt.raw, err, tt.err)
		}
	}
}

func TestTrimURLError(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`Get "http://127.0.0.1:1/api/cart#ep=cart-view&uid=u00001": dial tcp 127.0.0.1:1: connect: connection refused`,
			"dial tcp 127.0.0.1:1: connect: connection refused"},
		{`Post "http://127.0.0.1:1/api/checkout#ep=checkout&uid=u00002": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
			"context deadline exceeded (Client.Timeout exceeded while awaiting headers)"},
		{"500 Internal Server Error", "500 Internal Server Error"},
		{`say "hello": world`, `say "hello": world`},
		{"", ""},
	} {
		if got := trimURLError(tt.in); got != tt.want {
			t.Errorf("trimURLError(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
