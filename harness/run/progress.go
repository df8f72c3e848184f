package run

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/coalmine/coalmine/harness/observe"
	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/scenarios"
)

// status is one strategy's line of the progress display. The runner sets
// its phase and attaches the observer and traffic; the display reads them.
type status struct {
	mu      sync.Mutex
	name    string
	phase   string
	w       watcher
	traffic *trafficRun
}

func (s *status) set(phase string) {
	s.mu.Lock()
	s.phase = phase
	s.mu.Unlock()
}

func (s *status) attach(w watcher, t *trafficRun) {
	s.mu.Lock()
	if w != nil {
		s.w = w
	}
	if t != nil {
		s.traffic = t
	}
	s.mu.Unlock()
}

// line renders the status at now: strategy, phase, simulated clock, step,
// weight, latest analysis verdicts, and rps / error % per version.
func (s *status) line(now time.Time, traffic scenarios.Traffic) string {
	s.mu.Lock()
	phase, w, t := s.phase, s.w, s.traffic
	s.mu.Unlock()
	parts := []string{fmt.Sprintf("%-22s %-18s", s.name, phase)}
	if t != nil {
		parts = append(parts, "day "+traffic.TimeOfDay(t.elapsed(now)).String())
	}
	if w != nil {
		parts = append(parts, rolloutText(w.Snapshot())...)
	}
	if t != nil && t.running() {
		parts = append(parts, trafficText(t.live.Snapshot(now, 5)))
	}
	return strings.Join(parts, "  ")
}

func rolloutText(s observe.Snapshot) []string {
	r := s.Rollout
	if r == nil {
		return nil
	}
	out := []string{r.Phase}
	if r.Strategy == observe.StrategyCanary && len(r.Steps) > 0 && r.CurrentStepIndex != nil {
		step := fmt.Sprintf("step %d/%d", *r.CurrentStepIndex, len(r.Steps))
		if txt := r.StepText(); txt != "" {
			step += " (" + txt + ")"
		}
		out = append(out, step)
	}
	out = append(out, fmt.Sprintf("weight %d%%", r.ConfiguredWeight()))
	if v := verdicts(s.Analyses); v != "" {
		out = append(out, v)
	}
	return out
}

// verdicts shows the latest AnalysisRun's metrics: name=phase(value).
func verdicts(runs []observe.AnalysisRun) string {
	if len(runs) == 0 {
		return ""
	}
	a := runs[len(runs)-1]
	var ms []string
	for _, m := range a.Metrics {
		v := m.Phase
		if last := m.Last(); last.Value != "" {
			v += " " + last.Value
		}
		ms = append(ms, fmt.Sprintf("%s=%s ✓%d ✗%d", m.Name, v, m.Successful, m.Failed))
	}
	return fmt.Sprintf("analysis %s [%s]", a.Phase, strings.Join(ms, ", "))
}

func trafficText(l loadgen.LiveSnapshot) string {
	var vs []string
	for _, v := range l.Versions {
		name := v.Version
		if name == "" {
			name = loadgen.UnknownVersion
		}
		vs = append(vs, fmt.Sprintf("%s %.0f rps %.1f%% err", name, v.RPS, 100*v.ErrorRatio))
	}
	if len(vs) == 0 {
		return "no traffic yet"
	}
	return strings.Join(vs, " | ")
}

// display redraws every strategy's status line: in place on a terminal
// (every second), as plain log lines otherwise (every plainEvery).
type display struct {
	w           io.Writer
	interactive bool
	// width truncates interactive lines (0: no limit) so that none wraps
	// and the redraw stays in place.
	width      int
	plainEvery time.Duration
	traffic    scenarios.Traffic
	lines      []*status
	drawn      int
	lastPlain  time.Time
}

// draw renders the statuses at now.
func (d *display) draw(now time.Time) {
	if d.w == nil {
		return
	}
	if !d.interactive {
		if now.Sub(d.lastPlain) < d.plainEvery {
			return
		}
		d.lastPlain = now
		for _, s := range d.lines {
			fmt.Fprintf(d.w, "%s %s\n", now.Format("15:04:05"), s.line(now, d.traffic))
		}
		return
	}
	var b strings.Builder
	if d.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", d.drawn) // cursor up to the first line
	}
	for _, s := range d.lines {
		b.WriteString("\x1b[2K\r") // clear the line
		b.WriteString(truncate(s.line(now, d.traffic), d.width))
		b.WriteByte('\n')
	}
	d.drawn = len(d.lines)
	io.WriteString(d.w, b.String())
}

// truncate cuts s to at most width-1 runes (width ≤ 0: unchanged).
func truncate(s string, width int) string {
	if width <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) < width {
		return s
	}
	return string(r[:width-2]) + "…"
}
