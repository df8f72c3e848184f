package run

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/harness/observe"
)

func TestRolloutText(t *testing.T) {
	two := 2
	w := func(n int) *int { return &n }
	s := observe.Snapshot{
		Rollout: &observe.Rollout{Phase: "Paused", Strategy: observe.StrategyCanary, CurrentStepIndex: &two,
			Steps:          []observe.Step{{SetWeight: w(20), Text: "setWeight: 20"}, {Text: "analysis"}, {Text: "pause: 2s"}},
			CurrentPodHash: "b", StableRS: "a"},
		Analyses: []observe.AnalysisRun{{Phase: "Running", Metrics: []observe.Metric{{Name: "success-rate", Phase: "Running",
			Successful: 2, Failed: 1, Measurements: []observe.Measurement{{Value: "[0.97]"}}}}}},
	}
	got := strings.Join(rolloutText(s), "  ")
	want := "Paused  step 2/3 (pause: 2s)  weight 20%  analysis Running [success-rate=Running [0.97] ✓2 ✗1]"
	if got != want {
		t.Errorf("rolloutText:\n got %q\nwant %q", got, want)
	}
}

func TestDisplay(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	lines := []*status{{name: "classic-steps", phase: "warmup"}, {name: "rolling", phase: "deploying v1"}}
	t.Run("interactive redraws in place", func(t *testing.T) {
		var b bytes.Buffer
		d := &display{w: &b, interactive: true, width: 30, lines: lines}
		d.draw(now)
		d.draw(now.Add(time.Second))
		out := b.String()
		if strings.Count(out, "\x1b[2A") != 1 || strings.Count(out, "\x1b[2K") != 4 {
			t.Errorf("want one cursor-up of 2 lines and 4 line clears, got %q", out)
		}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if n := len([]rune(strings.NewReplacer("\x1b[2A", "", "\x1b[2K", "", "\r", "").Replace(l))); n >= 30 {
				t.Errorf("line of %d runes exceeds the width: %q", n, l)
			}
		}
	})
	t.Run("plain lines are periodic", func(t *testing.T) {
		var b bytes.Buffer
		d := &display{w: &b, plainEvery: 10 * time.Second, lines: lines}
		for i := range 25 {
			d.draw(now.Add(time.Duration(i) * time.Second))
		}
		if n := strings.Count(b.String(), "classic-steps"); n != 3 {
			t.Errorf("%d plain lines for classic-steps over 25 s at a 10 s period, want 3:\n%s", n, b.String())
		}
		if strings.Contains(b.String(), "\x1b[") {
			t.Error("plain output carries terminal escapes")
		}
	})
}
