package faultapp

import (
	"regexp"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/internal/stattest"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// gaugeValue returns the value of an unlabelled gauge from the registry.
func gaugeValue(t *testing.T, ts *testServer, name string) float64 {
	t.Helper()
	mfs, err := ts.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no gauge %s", name)
	return 0
}

// histCount sums http_request_duration_seconds_count over the series whose
// labels fully match the given regular expressions (PromQL =~ semantics).
func histCount(t *testing.T, ts *testServer, match map[string]string) uint64 {
	t.Helper()
	mfs, err := ts.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, mf := range mfs {
		if mf.GetName() != "http_request_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if labelsMatch(m.GetLabel(), match) {
				n += m.GetHistogram().GetSampleCount()
			}
		}
	}
	return n
}

func labelsMatch(labels []*dto.LabelPair, match map[string]string) bool {
	for name, re := range match {
		ok := false
		for _, l := range labels {
			if l.GetName() == name && regexp.MustCompile("^(?:"+re+")$").MatchString(l.GetValue()) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func TestDurationHistogramLabels(t *testing.T) {
	ts := newTestServer(t, `errors: {rate: 1, status: 503, paths: [/api/checkout]}`)
	h := ts.Handler()
	for range 3 {
		do(h, "GET", "/api/catalog", "", "")
	}
	do(h, "GET", "/api/search?q=mug", "", "")
	do(h, "POST", "/api/cart", "u", `{"sku":"SKU-0001"}`)
	do(h, "POST", "/api/cart", "u", `{"sku":"nope"}`)
	do(h, "POST", "/api/checkout", "u", "")
	do(h, "GET", "/healthz", "", "")
	tests := []struct {
		match map[string]string
		want  uint64
	}{
		{map[string]string{"method": "GET", "path": "/api/catalog", "status_code": "200", "version": "v2"}, 3},
		{map[string]string{"path": "/api/search"}, 1},
		{map[string]string{"method": "POST", "path": "/api/cart", "status_code": "200"}, 1},
		{map[string]string{"path": "/api/cart", "status_code": "404"}, 1},
		{map[string]string{"method": "POST", "path": "/api/checkout", "status_code": "503", "version": "v2"}, 1},
		{map[string]string{"path": "/healthz"}, 0}, // probes are not API traffic
		{map[string]string{"version": "v2"}, 7},
	}
	for _, tt := range tests {
		if got := histCount(t, ts, tt.match); got != tt.want {
			t.Errorf("count%v = %d, want %d", tt.match, got, tt.want)
		}
	}
}

// TestSuccessRateQuery evaluates the SREs' success-rate expression on the
// counters: sum(count{status_code=~"2.*"}) / sum(count).
func TestSuccessRateQuery(t *testing.T) {
	const n = 10000
	ts := newTestServer(t, `errors: {rate: 0.2}`)
	h := ts.Handler()
	for i := range n {
		do(h, "GET", faults.Routes()[i%2], "", "") // catalog and search
	}
	ok, all := histCount(t, ts, map[string]string{"status_code": "2.*"}), histCount(t, ts, nil)
	if all != n {
		t.Fatalf("total %d, want %d", all, n)
	}
	stattest.Share(t, "success rate", int(ok), n, 0.8)
	if v := testutil.ToFloat64(ts.metrics.injected[KindError]); v != float64(n)-float64(ok) {
		t.Errorf("injected error counter %v, want %d", v, n-int(ok))
	}
}

func TestInfoAndLint(t *testing.T) {
	ts := newTestServer(t, "")
	want := `
# HELP faultapp_info Always 1; the version label is the running app version.
# TYPE faultapp_info gauge
faultapp_info{version="v2"} 1
`
	if err := testutil.GatherAndCompare(ts.reg, strings.NewReader(want), "faultapp_info"); err != nil {
		t.Error(err)
	}
	do(ts.Handler(), "GET", "/api/catalog", "", "")
	problems, err := testutil.GatherAndLint(ts.reg)
	if err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
	if n := testutil.CollectAndCount(ts.metrics.duration); n != 1 {
		t.Errorf("%d duration series, want 1", n)
	}
}
