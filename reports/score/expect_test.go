package score

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/coalmine/coalmine/results"
)

func expectFixture() *results.Results {
	return &results.Results{Strategies: []results.StrategyRun{{
		Name: "canary-fast",
		Releases: []results.ReleaseResult{
			{Index: 1, Version: "v2", Bad: true, Scores: results.Scores{
				Outcome: results.OutcomeCaught, TimeToDetectSeconds: ptr(42.0), TimeToRestoreSeconds: ptr(50.0),
				FailedRequests: 120, ExcessFailedRequests: 100.5, UsersAffected: 30,
			}},
			{Index: 2, Version: "v3", Scores: results.Scores{Outcome: results.OutcomePromoted, TimeToPromoteSeconds: ptr(600.0)}},
		},
	}, {
		Name: "classic",
		Releases: []results.ReleaseResult{
			{Index: 1, Version: "v2", Bad: true, Scores: results.Scores{Outcome: results.OutcomeMissed, FailedRequests: 5000, UsersAffected: 800}},
			{Index: 2, Version: "v3", Scores: results.Scores{Outcome: results.OutcomeFalseAlarm}},
		},
	}}}
}

func TestApplyExpectations(t *testing.T) {
	minute := time.Minute
	tests := []struct {
		name string
		exps []Expectation
		want map[string][]results.ExpectationResult // "strategy/version" → verdicts
	}{{
		name: "caught and promoted everywhere",
		exps: []Expectation{{Strategy: "*", Release: "*", Caught: ptr(true), Promoted: ptr(true)}},
		want: map[string][]results.ExpectationResult{
			"canary-fast/v2": {{Name: "caught: true", Passed: true, Reason: "outcome caught"}},
			"canary-fast/v3": {{Name: "promoted: true", Passed: true, Reason: "outcome promoted"}},
			"classic/v2":     {{Name: "caught: true", Reason: "outcome missed"}},
			"classic/v3":     {{Name: "promoted: true", Reason: "outcome false-alarm"}},
		},
	}, {
		name: "limits on one strategy, release by index",
		exps: []Expectation{{
			Strategy: "canary-*", Release: "1", MaxTimeToDetect: &minute, MaxTimeToRestore: ptr(30 * time.Second),
			MaxFailedRequests: ptr(200), MaxExcessFailedRequests: ptr(100.0), MaxUsersAffected: ptr(30),
		}},
		want: map[string][]results.ExpectationResult{
			"canary-fast/v2": {
				{Name: "maxTimeToDetect: 1m0s", Passed: true, Reason: "time to detect 42s ≤ 1m0s"},
				{Name: "maxTimeToRestore: 30s", Reason: "time to restore 50s > 30s"},
				{Name: "maxFailedRequests: 200", Passed: true, Reason: "failed requests 120 ≤ 200"},
				{Name: "maxExcessFailedRequests: 100", Reason: "excess failed requests 100.5 > 100"},
				{Name: "maxUsersAffected: 30", Passed: true, Reason: "users affected 30 ≤ 30"},
			},
		},
	}, {
		name: "never detected, never promoted",
		exps: []Expectation{{Strategy: "classic", MaxTimeToDetect: &minute, MaxTimeToPromote: &minute}},
		want: map[string][]results.ExpectationResult{
			"classic/v2": {{Name: "maxTimeToDetect: 1m0s", Reason: "never detected"}},
			"classic/v3": {{Name: "maxTimeToPromote: 1m0s", Reason: "never promoted"}},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := expectFixture()
			if err := Apply(r, tc.exps); err != nil {
				t.Fatal(err)
			}
			got := map[string][]results.ExpectationResult{}
			for _, s := range r.Strategies {
				for _, rel := range s.Releases {
					if len(rel.Expectations) > 0 {
						got[s.Name+"/"+rel.Version] = rel.Expectations
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyExpectationsErrors(t *testing.T) {
	r := expectFixture()
	err := Apply(r, []Expectation{{Strategy: "canary-fats", Caught: ptr(true)}, {Strategy: "classic", Caught: ptr(true)}})
	if !errors.Is(err, ErrUnmatched) {
		t.Fatalf("typo'd strategy: err = %v, want ErrUnmatched", err)
	}
	if n := len(r.Strategies[1].Releases[0].Expectations); n != 1 {
		t.Errorf("the matching expectation should still be applied, got %d verdicts", n)
	}
	if err := Apply(r, []Expectation{{Strategy: "[", Caught: ptr(true)}}); err == nil || errors.Is(err, ErrUnmatched) {
		t.Errorf("bad pattern: err = %v, want a pattern error", err)
	}
}
