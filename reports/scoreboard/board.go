package scoreboard

import (
	"cmp"
	"slices"

	"github.com/coalmine/coalmine/results"
)

// RankingRule states how rows are ordered; reports print it.
const RankingRule = "Ranked by: most bad releases caught (share), then fewest good releases not promoted " +
	"(false alarms and timeouts, share), then fewest excess failed requests, then fewest users affected, " +
	"then shortest median time to detect, then shortest median time to promote, then name."

// Row is one strategy of one run, summarised over its releases. Blast
// radius and detection sum or summarise bad releases only; promotion, good
// releases only.
type Row struct {
	Rank     int
	Run      *results.Results
	RunLabel string // set when the board compares several runs
	Strategy *results.StrategyRun

	Bad, Caught, Missed, BadTimeouts          int
	Good, Promoted, FalseAlarms, GoodTimeouts int
	// Unrestored counts bad releases whose restore the records never showed
	// (missed ones included).
	Unrestored     int
	MedianTTD      *float64
	MaxTTR         *float64
	FailedRequests int
	ExcessFailed   float64
	UsersAffected  int
	MedianTTP      *float64
	ExpPassed      int
	ExpFailed      int
}

// Name is the strategy name, with the run label when there is one.
func (r *Row) Name() string {
	if r.RunLabel == "" {
		return r.Strategy.Name
	}
	return r.Strategy.Name + " (" + r.RunLabel + ")"
}

// CaughtShare is the share of bad releases caught (1 without bad releases).
func (r *Row) CaughtShare() float64 { return share(r.Caught, r.Bad) }

// NotPromotedShare is the share of good releases not promoted.
func (r *Row) NotPromotedShare() float64 { return 1 - share(r.Promoted, r.Good) }

func share(n, of int) float64 {
	if of == 0 {
		return 1
	}
	return float64(n) / float64(of)
}

// Board is the ranked rows of one scenario.
type Board struct {
	Scenario string
	Rows     []*Row
}

// Build groups the strategies of runs by scenario name (in first-seen
// order) and ranks each group by RankingRule. Rows carry run labels when a
// scenario appears in more than one run.
func Build(runs ...*results.Results) []*Board {
	var boards []*Board
	index := map[string]*Board{}
	perScenario := map[string]int{}
	for _, run := range runs {
		perScenario[run.Scenario.Name]++
	}
	for _, run := range runs {
		b := index[run.Scenario.Name]
		if b == nil {
			b = &Board{Scenario: run.Scenario.Name}
			index[b.Scenario] = b
			boards = append(boards, b)
		}
		for i := range run.Strategies {
			row := summarise(run, &run.Strategies[i])
			if perScenario[run.Scenario.Name] > 1 {
				row.RunLabel = run.Label()
			}
			b.Rows = append(b.Rows, row)
		}
	}
	for _, b := range boards {
		slices.SortStableFunc(b.Rows, compareRows)
		for i, r := range b.Rows {
			r.Rank = i + 1
		}
	}
	return boards
}

// compareRows orders rows by RankingRule.
func compareRows(a, b *Row) int {
	return cmp.Or(
		cmp.Compare(b.CaughtShare(), a.CaughtShare()),
		cmp.Compare(a.NotPromotedShare(), b.NotPromotedShare()),
		cmp.Compare(a.ExcessFailed, b.ExcessFailed),
		cmp.Compare(a.UsersAffected, b.UsersAffected),
		compareOpt(a.MedianTTD, b.MedianTTD),
		compareOpt(a.MedianTTP, b.MedianTTP),
		cmp.Compare(a.Name(), b.Name()),
	)
}

// compareOpt orders present values ascending, missing ones last.
func compareOpt(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}
