package loadgen

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSummaryBuilder(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	b := NewSummaryBuilder()
	// 1000 requests over 9.99 s: 900 v1 (10 errors), 90 v2 (50 errors), 10 without response.
	for i := range 1000 {
		r := rec(t0, time.Duration(i)*10*time.Millisecond, time.Duration(1+i%100)*time.Millisecond, "v1", 200)
		r.User = UserID(i%37, 100)
		switch {
		case i%100 == 99:
			r.Version, r.Status, r.Error = "", 0, "connection refused"
		case i%10 == 9:
			r.Version, r.Endpoint = "v2", "checkout"
			if i%20 == 9 {
				r.Status = 500
			}
		case i%100 == 0:
			r.Status = 503
		}
		b.Observe(r)
	}
	s := b.Summary()
	if s.Requests != 1000 || s.Errors != 10+50+10 || !near(s.SuccessRatio, 0.93, 1e-12) {
		t.Errorf("totals: %d requests %d errors ratio %g", s.Requests, s.Errors, s.SuccessRatio)
	}
	if !near(s.AchievedRPS, 100, 1e-9) || !near(s.DurationSeconds, 9.99, 1e-9) {
		t.Errorf("rate %g over %g s, want 100 over 9.99", s.AchievedRPS, s.DurationSeconds)
	}
	if v := s.ByVersion["v1"]; v.Requests != 900 || v.Errors != 10 {
		t.Errorf("v1: %+v", v)
	}
	if v := s.ByVersion["v2"]; v.Requests != 90 || v.Errors != 50 || !near(v.SuccessRatio, 40.0/90, 1e-12) {
		t.Errorf("v2: %+v", v)
	}
	if v := s.ByVersion[UnknownVersion]; v.Requests != 10 || v.Errors != 10 {
		t.Errorf("unknown: %+v", v)
	}
	if s.StatusCodes["0"] != 10 || s.StatusCodes["500"] != 50 || s.StatusCodes["503"] != 10 || s.Users != 37 {
		t.Errorf("codes %v users %d", s.StatusCodes, s.Users)
	}
	if !near(s.Latency.P50, 50, 50.0/64) || !near(s.Latency.P99, 99, 99.0/64) || s.Latency.Max != 100 || !near(s.Latency.Mean, 50.5, 1e-9) {
		t.Errorf("latency %+v", s.Latency)
	}
	s = s.WithAttack(AttackResult{Stop: StopDuration, Skipped: 3, MaxRequests: 1000, MaxWorkers: 8})
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"requests":1000`, `"errors":70`, `"success_ratio":0.93`, `"achieved_rps":100`,
		`"by_version":{`, `"v2":{"requests":90,"errors":50`, `"latency_ms":{"p50":`, `"stop":"duration"`, `"skipped":3`} {
		if !strings.Contains(string(js), key) {
			t.Errorf("JSON lacks %s: %s", key, js)
		}
	}
	var text strings.Builder
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requests      1000", "v2", "checkout", "unknown"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}

func TestSummaryEmpty(t *testing.T) {
	s := NewSummaryBuilder().Summary()
	if s.Requests != 0 || s.AchievedRPS != 0 || s.SuccessRatio != 0 || s.ByVersion == nil {
		t.Fatalf("empty summary: %+v", s)
	}
}
