package markdown

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// Write renders runs as Markdown to w.
func Write(ctx context.Context, w io.Writer, runs ...*results.Results) error {
	if len(runs) == 0 {
		return fmt.Errorf("markdown report: no runs")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var b strings.Builder
	for _, board := range scoreboard.Build(runs...) {
		writeBoard(&b, board, runs)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	return nil
}

func writeBoard(b *strings.Builder, board *scoreboard.Board, runs []*results.Results) {
	fmt.Fprintf(b, "## coalmine · %s\n\n", esc(board.Scenario))
	for _, r := range runs {
		if r.Scenario.Name == board.Scenario {
			b.WriteString(runLine(r))
		}
	}
	b.WriteString("\n| # | Strategy | Bad caught | Missed | False alarms | Timeouts | Time to detect (median) | Time to restore (worst) | Excess failed requests | Users affected | Time to promote (median) | Expectations |\n")
	b.WriteString("|--:|:--|:-:|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n")
	for _, r := range board.Rows {
		ttr := scoreboard.Duration(r.MaxTTR)
		if r.Unrestored > 0 {
			ttr += fmt.Sprintf(" (%d not restored)", r.Unrestored)
		}
		name := "**" + esc(r.Name()) + "**"
		if r.Strategy.Error != "" {
			name += " ⚠️ run failed"
		}
		fmt.Fprintf(b, "| %d | %s | %d/%d | %d | %d | %d | %s | %s | %s | %s | %s | %s |\n",
			r.Rank, name, r.Caught, r.Bad, r.Missed, r.FalseAlarms, r.BadTimeouts+r.GoodTimeouts,
			scoreboard.Duration(r.MedianTTD), ttr, scoreboard.Count(r.ExcessFailed), scoreboard.Int(r.UsersAffected),
			scoreboard.Duration(r.MedianTTP), expCell(r))
	}
	fmt.Fprintf(b, "\n<sub>%s</sub>\n\n", scoreboard.RankingRule)
	b.WriteString("### Releases\n\n")
	for _, r := range board.Rows {
		for i := range r.Strategy.Releases {
			b.WriteString(releaseLine(r, &r.Strategy.Releases[i]))
		}
		if r.Strategy.Error != "" {
			fmt.Fprintf(b, "- ⚠️ **%s** · run failed: %s\n", esc(r.Name()), esc(r.Strategy.Error))
		}
	}
	b.WriteString("\n")
}

// runLine summarises one run under the board's title.
func runLine(r *results.Results) string {
	state := "complete"
	if !r.Complete {
		state = "**incomplete**"
		if r.IncompleteReason != "" {
			state += ": " + esc(r.IncompleteReason)
		}
	}
	p, f := r.ExpectationCounts()
	return fmt.Sprintf("%s · %s · %s · %s · expectations: %d passed, %d failed\n",
		esc(r.Environment.Kind), r.StartedAt.UTC().Format("2006-01-02 15:04 UTC"),
		scoreboard.Seconds(r.FinishedAt.Sub(r.StartedAt).Seconds()), state, p, f)
}

func expCell(r *scoreboard.Row) string {
	switch {
	case r.ExpPassed+r.ExpFailed == 0:
		return "—"
	case r.ExpFailed > 0:
		return fmt.Sprintf("❌ %d/%d failed", r.ExpFailed, r.ExpPassed+r.ExpFailed)
	default:
		return fmt.Sprintf("✅ %d/%d", r.ExpPassed, r.ExpPassed)
	}
}
