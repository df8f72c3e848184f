package score

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// sprtFor is the SPRT efficiency expected for a zero-error baseline of n
// requests (continuity-corrected) against canary rate p1.
func sprtFor(p0, p1 float64, toDetect int) *results.Efficiency {
	n := SPRTExpectedSamples(p0, p1, 0.01, 0.05)
	return &results.Efficiency{SPRTRequests: n, RequestsToDetect: toDetect, Ratio: float64(toDetect) / n}
}

func TestScoreOneRelease(t *testing.T) {
	bad := Release{Index: 1, Version: "v2", Bad: true, Fault: "errors", ReleasedAt: at(60)}
	good := Release{Index: 1, Version: "v2", ReleasedAt: at(60)}
	lateOnset := bad
	lateOnset.FaultOnset = ptr(at(120))
	v1 := phase{from: 0, to: 60, stable: "v1"}
	canary := func(from, to float64, share int) phase {
		return phase{from: from, to: to, stable: "v1", canary: "v2", share: share}
	}
	tests := []struct {
		name     string
		rel      Release
		records  []loadgen.Record
		timeline []results.Event
		end      time.Time
		want     results.Scores
	}{{
		name:     "caught",
		rel:      bad,
		records:  traffic(map[string]int{"v2": 2}, v1, canary(60, 90, 10), phase{from: 90, to: 180, stable: "v1"}),
		timeline: []results.Event{weightEv(60, 1, 10), ev(90, results.EventAborted, 1), weightEv(90, 1, 0)},
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(30.0), TimeToRestoreSeconds: ptr(29.12),
			FailedRequests: 150, ExcessFailedRequests: 150, UsersAffected: 5, CanaryRequests: 300,
			ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.5,
			Efficiency: sprtFor(0.5/11700, 0.5, 300),
		},
	}, {
		name:     "baseline error rate above zero",
		rel:      bad,
		records:  traffic(map[string]int{"v1": 100, "v2": 20}, v1, canary(60, 160, 10), phase{from: 160, to: 200, stable: "v1"}),
		timeline: []results.Event{weightEv(60, 1, 10), ev(160, results.EventAborted, 1)},
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(100.0), TimeToRestoreSeconds: ptr(99.12),
			// Every 20th canary request fails: request 9 of every other second, user u09.
			FailedRequests: 50, ExcessFailedRequests: 40, UsersAffected: 1, CanaryRequests: 1000,
			ConfiguredWeight: 10, ObservedShare: 10, BaselineErrorRate: 0.01, CanaryErrorRate: 0.05,
			Efficiency: sprtFor(0.01, 0.05, 1000),
		},
	}, {
		name: "missed",
		rel:  bad,
		records: traffic(map[string]int{"v2": 10}, v1, canary(60, 120, 10),
			phase{from: 120, to: 180, stable: "v2"}),
		timeline: []results.Event{weightEv(60, 1, 10), weightEv(120, 1, 100), ev(120, results.EventPromoted, 1)},
		want: results.Scores{
			// Every 10th v2 request fails: u09 at 10 %, then u09, u19, ... u49 at 100 %.
			Outcome: results.OutcomeMissed, FailedRequests: 660, ExcessFailedRequests: 660, UsersAffected: 5,
			CanaryRequests: 6600, ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.1,
		},
	}, {
		name:     "false alarm",
		rel:      good,
		records:  traffic(nil, v1, canary(60, 90, 10), phase{from: 90, to: 150, stable: "v1"}),
		timeline: []results.Event{weightEv(60, 1, 10), ev(90, results.EventAborted, 1), weightEv(90, 1, 0)},
		want: results.Scores{
			Outcome: results.OutcomeFalseAlarm, CanaryRequests: 300, ConfiguredWeight: 10, ObservedShare: 10,
		},
	}, {
		name: "promoted",
		rel:  good,
		records: traffic(nil, v1, canary(60, 90, 10), canary(90, 120, 50),
			phase{from: 120, to: 180, stable: "v2"}),
		timeline: []results.Event{
			weightEv(60, 1, 10), weightEv(90, 1, 50), weightEv(120, 1, 100), ev(120, results.EventPromoted, 1),
		},
		want: results.Scores{
			Outcome: results.OutcomePromoted, TimeToPromoteSeconds: ptr(60.0), CanaryRequests: 7800,
			ConfiguredWeight: 30, ObservedShare: 30,
		},
	}, {
		name:     "timeout: neither aborted nor promoted, still serving at the end",
		rel:      bad,
		records:  traffic(map[string]int{"v2": 4}, v1, canary(60, 180, 10)),
		timeline: []results.Event{weightEv(60, 1, 10), ev(170, results.EventTimeout, 1)},
		end:      at(180),
		want: results.Scores{
			Outcome: results.OutcomeTimeout, FailedRequests: 300, ExcessFailedRequests: 300, UsersAffected: 5,
			CanaryRequests: 1200, ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.25,
		},
	}, {
		name:     "no traffic reaches the canary",
		rel:      bad,
		records:  traffic(nil, phase{from: 0, to: 180, stable: "v1"}),
		timeline: []results.Event{weightEv(60, 1, 10), ev(120, results.EventAborted, 1)},
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(60.0), TimeToRestoreSeconds: ptr(0.0),
			ConfiguredWeight: 10,
		},
	}, {
		name:     "abort before any bad response",
		rel:      lateOnset,
		records:  traffic(nil, v1, canary(60, 90, 10), phase{from: 90, to: 180, stable: "v1"}),
		timeline: []results.Event{weightEv(60, 1, 10), ev(90, results.EventAborted, 1)},
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(0.0), TimeToRestoreSeconds: ptr(0.0),
			CanaryRequests: 300, ConfiguredWeight: 10, ObservedShare: 10,
		},
	}, {
		name:     "aborted but the bad version never stops serving",
		rel:      bad,
		records:  traffic(map[string]int{"v2": 2}, v1, canary(60, 180, 10)),
		timeline: []results.Event{weightEv(60, 1, 10), ev(90, results.EventAborted, 1), weightEv(90, 1, 0)},
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(30.0),
			FailedRequests: 600, ExcessFailedRequests: 600, UsersAffected: 5, CanaryRequests: 1200,
			ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.5,
			Efficiency: sprtFor(0.5/10800, 0.5, 300),
		},
	}, {
		name:     "traffic stops at the abort: restore unconfirmed",
		rel:      bad,
		records:  traffic(map[string]int{"v2": 2}, v1, canary(60, 90, 10)),
		timeline: []results.Event{weightEv(60, 1, 10), ev(90, results.EventAborted, 1)},
		end:      at(100),
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(30.0),
			FailedRequests: 150, ExcessFailedRequests: 150, UsersAffected: 5, CanaryRequests: 300,
			ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.5,
			Efficiency: sprtFor(0.5/2700, 0.5, 300),
		},
	}, {
		name:    "traffic stops at the abort: the restored event confirms",
		rel:     bad,
		records: traffic(map[string]int{"v2": 2}, v1, canary(60, 90, 10)),
		timeline: []results.Event{
			weightEv(60, 1, 10), ev(90, results.EventAborted, 1), ev(95, results.EventRestored, 1),
		},
		end: at(100),
		want: results.Scores{
			Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(30.0), TimeToRestoreSeconds: ptr(29.12),
			FailedRequests: 150, ExcessFailedRequests: 150, UsersAffected: 5, CanaryRequests: 300,
			ConfiguredWeight: 10, ObservedShare: 10, CanaryErrorRate: 0.5,
			Efficiency: sprtFor(0.5/2700, 0.5, 300),
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{
				Stable: "v1", Releases: []Release{tc.rel}, Timeline: tc.timeline,
				Records: SliceSource(tc.records), End: tc.end,
			}
			out, err := Score(context.Background(), in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Releases) != 1 {
				t.Fatalf("got %d releases, want 1", len(out.Releases))
			}
			got := out.Releases[0]
			if got.Baseline != "v1" || got.Version != "v2" || !got.ReleasedAt.Equal(at(60)) || got.Bad != tc.rel.Bad {
				t.Errorf("release identity = %+v", got)
			}
			if diff := cmp.Diff(tc.want, got.Scores, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScoreMultipleReleases(t *testing.T) {
	recs := traffic(map[string]int{"v2": 2, "v4": 5},
		phase{from: 0, to: 60, stable: "v1"},
		phase{from: 60, to: 90, stable: "v1", canary: "v2", share: 10},
		phase{from: 90, to: 150, stable: "v1"},
		phase{from: 150, to: 180, stable: "v1", canary: "v3", share: 20},
		phase{from: 180, to: 240, stable: "v3"},
		phase{from: 240, to: 270, stable: "v3", canary: "v4", share: 10},
		phase{from: 270, to: 300, stable: "v3"},
	)
	timeline := []results.Event{
		// Out of order on purpose: the timeline is sorted per release.
		ev(270, results.EventAborted, 3), ev(240, results.EventReleased, 3), weightEv(240, 3, 10),
		ev(60, results.EventReleased, 1), weightEv(60, 1, 10), ev(90, results.EventAborted, 1),
		ev(150, results.EventReleased, 2), weightEv(150, 2, 20), ev(180, results.EventPromoted, 2),
		ev(245, results.EventFaultOnset, 3),
	}
	in := Input{
		Stable: "v1",
		Releases: []Release{
			{Index: 1, Version: "v2", Bad: true},
			{Index: 2, Version: "v3"},
			{Index: 3, Version: "v4", Bad: true},
		},
		Timeline: timeline, Records: SliceSource(recs),
	}
	out, err := Score(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Index             int
		Version, Baseline string
		Outcome           results.Outcome
		Onset             *time.Time
		TTD, TTP          *float64
		Canary, Failed    int
	}
	var got []row
	for _, r := range out.Releases {
		got = append(got, row{r.Index, r.Version, r.Baseline, r.Scores.Outcome, r.FaultOnset,
			r.Scores.TimeToDetectSeconds, r.Scores.TimeToPromoteSeconds, r.Scores.CanaryRequests, r.Scores.FailedRequests})
	}
	want := []row{
		{1, "v2", "v1", results.OutcomeCaught, ptr(at(60)), ptr(30.0), nil, 300, 150},
		{2, "v3", "v1", results.OutcomePromoted, nil, nil, ptr(30.0), 6600, 0},
		{3, "v4", "v3", results.OutcomeCaught, ptr(at(245)), ptr(25.0), nil, 300, 60},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
}

func TestScoreSeries(t *testing.T) {
	recs := traffic(map[string]int{"v2": 2}, phase{from: 0, to: 2, stable: "v1", canary: "v2", share: 10})
	recs = append(recs, loadgen.Record{Start: at(1.5), Status: 0, Error: "connection refused"})
	out, err := Score(context.Background(), Input{Stable: "v1", Records: SliceSource(recs)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := at(0).Unix()
	want := []results.Second{
		{T: ts, Version: "v1", Requests: 90, P50Ms: 10, P99Ms: 10},
		{T: ts, Version: "v2", Requests: 10, Errors: 5, P50Ms: 30, P99Ms: 30},
		{T: ts + 1, Version: "", Requests: 1, Errors: 1},
		{T: ts + 1, Version: "v1", Requests: 90, P50Ms: 10, P99Ms: 10},
		{T: ts + 1, Version: "v2", Requests: 10, Errors: 5, P50Ms: 30, P99Ms: 30},
	}
	// Percentiles come from loadgen's histogram: within 1.6 %.
	if diff := cmp.Diff(want, out.Series, cmpopts.EquateApprox(0.016, 0)); diff != "" {
		t.Errorf("series (-want +got):\n%s", diff)
	}
}

func TestScoreInputErrors(t *testing.T) {
	src := SliceSource(nil)
	tests := []struct {
		name string
		in   Input
	}{
		{"no record source", Input{Releases: []Release{{Index: 1, Version: "v2", ReleasedAt: at(1)}}}},
		{"empty version", Input{Records: src, Releases: []Release{{Index: 1, ReleasedAt: at(1)}}}},
		{"no release time", Input{Records: src, Releases: []Release{{Index: 1, Version: "v2"}}}},
		{"out of order", Input{Records: src, Releases: []Release{
			{Index: 1, Version: "v2", ReleasedAt: at(10)}, {Index: 2, Version: "v3", ReleasedAt: at(5)},
		}}},
		{"index twice", Input{Records: src, Releases: []Release{
			{Index: 1, Version: "v2", ReleasedAt: at(1)}, {Index: 1, Version: "v3", ReleasedAt: at(5)},
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Score(context.Background(), tc.in, Options{}); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestScoreCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	recs := traffic(nil, phase{from: 0, to: 1, stable: "v1"})
	if _, err := Score(ctx, Input{Records: SliceSource(recs)}, Options{}); err == nil {
		t.Error("want the context's error")
	}
}

func TestSPRTReferenceValues(t *testing.T) {
	// Reference values from notes/canary-facts.md (α = 0.01, power 0.95).
	for _, tc := range []struct{ p0, p1, want float64 }{
		{0.001, 0.01, 297},
		{0.01, 0.05, 101},
		{0.01, 0.02, 1067},
	} {
		got := SPRTExpectedSamples(tc.p0, tc.p1, 0.01, 0.05)
		if math.Abs(got-tc.want) > 1 {
			t.Errorf("E[N|H1](%v→%v) = %.1f, want ≈ %v", tc.p0, tc.p1, got, tc.want)
		}
	}
	if got := SPRTExpectedSamples(0.01, 0.01, 0.01, 0.05); !math.IsInf(got, 1) {
		t.Errorf("equal rates: got %v, want +Inf", got)
	}
	if got := KL(0.3, 0.3); got != 0 {
		t.Errorf("KL(p‖p) = %v", got)
	}
	if got := KL(1, 0.5); math.Abs(got-math.Ln2) > 1e-12 {
		t.Errorf("KL(1‖0.5) = %v, want ln 2", got)
	}
}
