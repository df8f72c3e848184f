package faults

import (
	"testing"
	"time"
)

// fault decodes a fault model ("" is none).
func fault(t *testing.T, y string) *Faults {
	t.Helper()
	f, err := Decode([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestOverlay(t *testing.T) {
	tests := []struct {
		name, baseline, release, want string
	}{
		{"good release keeps the baseline", "errors: {rate: 0.001}", "", `{"errors":{"rate":0.001,"status":500}}`},
		{"release error fault replaces the baseline's", "errors: {rate: 0.001}", "errors: {rate: 0.05, status: 503}", `{"errors":{"rate":0.05,"status":503}}`},
		{"other kinds add up", "errors: {rate: 0.001}", "latency: {distribution: fixed, mean: 200ms}",
			`{"errors":{"rate":0.001,"status":500},"latency":{"distribution":"fixed","mean":"200ms","share":1}}`},
		{"no baseline", "", "", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(Overlay(fault(t, tt.baseline), fault(t, tt.release)))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("FAULTS = %s\nwant      %s", got, tt.want)
			}
		})
	}
}

func TestOnset(t *testing.T) {
	tests := []struct {
		fault string
		want  time.Duration
	}{
		{"", 0},
		{"errors: {rate: 0.05}", 0},
		{"errors: {rate: 0.05, after: 90s}", 90 * time.Second},
		{"errors: {rate: 0.05, after: 90s}\nlatency: {distribution: fixed, mean: 1s, after: 30s}", 30 * time.Second},
		{"errors: {rate: 0.05, after: 90s}\nleak: {bytesPerRequest: 1024}", 0},
		{"crash: {after: 2m}", 2 * time.Minute},
	}
	for _, tt := range tests {
		if got := fault(t, tt.fault).Onset(); got != tt.want {
			t.Errorf("Onset(%q) = %s, want %s", tt.fault, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct{ fault, want string }{
		{"", ""},
		{"errors: {rate: 0.05, status: 500}", "5 % errors (500)"},
		{"errors: {rate: 0.1, minRPS: 45}", "10 % errors (500) above 45 rps per pod"},
		{"errors: {rate: 0.2, cohort: 0.1, after: 1m}", "20 % errors (500) for 10 % of users after 1m0s"},
		{"latency: {distribution: fixed, mean: 300ms, share: 0.5}", "+300ms latency on 50 % of requests"},
		{"crash: {after: 30s}", "crashes after 30s"},
		{"errors: {rate: 0.01}\nleak: {bytesPerRequest: 1024}", "1 % errors (500); leaks 1024 B per request"},
	}
	for _, tt := range tests {
		if got := fault(t, tt.fault).Summary(); got != tt.want {
			t.Errorf("Summary(%q) = %q, want %q", tt.fault, got, tt.want)
		}
	}
}
