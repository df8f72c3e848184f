package scoreboard

import (
	"testing"
	"time"

	"github.com/coalmine/coalmine/results"
)

func rel(bad bool, o results.Outcome, excess float64, users int, ttd, ttp *float64) results.ReleaseResult {
	return results.ReleaseResult{Bad: bad, Scores: results.Scores{
		Outcome: o, ExcessFailedRequests: excess, UsersAffected: users, TimeToDetectSeconds: ttd, TimeToPromoteSeconds: ttp,
	}}
}

func f(v float64) *float64 { return &v }

func TestBuildRanks(t *testing.T) {
	run := &results.Results{Scenario: results.ScenarioInfo{Name: "s"}, Strategies: []results.StrategyRun{
		{Name: "misses-one", Releases: []results.ReleaseResult{
			rel(true, results.OutcomeMissed, 500, 90, nil, nil), rel(true, results.OutcomeCaught, 5, 2, f(10), nil)}},
		{Name: "slow", Releases: []results.ReleaseResult{
			rel(true, results.OutcomeCaught, 40, 9, f(300), nil), rel(true, results.OutcomeCaught, 40, 9, f(300), nil)}},
		{Name: "fast", Releases: []results.ReleaseResult{
			rel(true, results.OutcomeCaught, 40, 9, f(30), nil), rel(true, results.OutcomeCaught, 40, 9, f(60), nil)}},
		{Name: "false-alarm", Releases: []results.ReleaseResult{
			rel(true, results.OutcomeCaught, 1, 1, f(5), nil), rel(false, results.OutcomeFalseAlarm, 0, 0, nil, nil)}},
		{Name: "harmless", Releases: []results.ReleaseResult{
			rel(true, results.OutcomeCaught, 10, 3, f(100), nil), rel(true, results.OutcomeCaught, 10, 3, f(100), nil)}},
	}}
	boards := Build(run)
	if len(boards) != 1 {
		t.Fatalf("%d boards, want 1", len(boards))
	}
	var got []string
	for _, r := range boards[0].Rows {
		got = append(got, r.Name())
	}
	// Caught share first, then good releases not promoted, then excess
	// failures, then users, then time to detect.
	want := []string{"harmless", "fast", "slow", "false-alarm", "misses-one"}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("order = %v, want %v", got, want)
		}
		if boards[0].Rows[i].Rank != i+1 {
			t.Errorf("%s rank = %d, want %d", got[i], boards[0].Rows[i].Rank, i+1)
		}
	}
	fast := boards[0].Rows[1]
	if *fast.MedianTTD != 45 || fast.Caught != 2 || fast.Bad != 2 || fast.ExcessFailed != 80 {
		t.Errorf("fast row = %+v", fast)
	}
}

func TestBuildGroupsRunsByScenario(t *testing.T) {
	day := func(d int, scenario string) *results.Results {
		return &results.Results{
			Scenario:   results.ScenarioInfo{Name: scenario},
			StartedAt:  time.Date(2024, 5, d, 10, 0, 0, 0, time.UTC),
			Strategies: []results.StrategyRun{{Name: "a"}},
		}
	}
	boards := Build(day(1, "x"), day(2, "x"), day(3, "y"))
	if len(boards) != 2 || boards[0].Scenario != "x" || boards[1].Scenario != "y" {
		t.Fatalf("boards = %+v", boards)
	}
	if len(boards[0].Rows) != 2 || boards[0].Rows[0].Name() != "a (x @ 2024-05-01 10:00Z)" {
		t.Errorf("rows of the same scenario need run labels: %q", boards[0].Rows[0].Name())
	}
	if boards[1].Rows[0].Name() != "a" {
		t.Errorf("a scenario run once needs no label: %q", boards[1].Rows[0].Name())
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Seconds(0.25), "250 ms"},
		{Seconds(4.25), "4.2 s"},
		{Seconds(42), "42 s"},
		{Seconds(61.4), "1 m 01 s"},
		{Seconds(7260), "2 h 01 m"},
		{Duration(nil), "—"},
		{Int(1067), "1,067"},
		{Int(-1234567), "-1,234,567"},
		{Int(12), "12"},
		{Count(52.66), "52.7"},
		{Count(3.0), "3"},
		{Count(12345.6), "12,346"},
		{Percent(0.0012), "0.12 %"},
		{Percent(0.05), "5.0 %"},
		{Percent(0), "0 %"},
		{Pct(9.84), "9.8 %"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
