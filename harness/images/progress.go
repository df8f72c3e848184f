package images

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// Target states shown while building.
const (
	stateQueued   = "queued"
	stateBuilding = "building"
	stateCached   = "cached"
	stateDone     = "done"
	stateFailed   = "failed"
	stateSkipped  = "skipped"
)

// progress shows per-target state on a terminal: a table redrawn in place
// on a TTY, one plain line per change otherwise (CI logs).
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	now   func() time.Time
	start time.Time
	rows  []*progressRow
	drawn int
	stop  chan struct{}
	wg    sync.WaitGroup
}

type progressRow struct {
	name, state, step, note string
	started                 time.Time
	took                    time.Duration
}

// newProgress writes to w (nil shows nothing).
func newProgress(w io.Writer, now func() time.Time) *progress {
	p := &progress{w: w, now: now, start: now(), stop: make(chan struct{})}
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.tty = true
		p.wg.Add(1)
		go p.tick()
	}
	return p
}

func (p *progress) tick() {
	defer p.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

func (p *progress) row(name string) *progressRow {
	for _, r := range p.rows {
		if r.name == name {
			return r
		}
	}
	r := &progressRow{name: name}
	p.rows = append(p.rows, r)
	return r
}

// set changes a target's state (and step or note) and shows it.
func (p *progress) set(name, state, step, note string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.row(name)
	if state == stateBuilding && r.state != stateBuilding {
		r.started = p.now()
	}
	if state == stateDone || state == stateFailed {
		r.took = p.now().Sub(r.started)
	}
	r.state, r.step, r.note = state, step, note
	if p.tty {
		p.draw()
		return
	}
	fmt.Fprintf(p.w, "[%7s] %s\n", fmtDuration(p.now().Sub(p.start)), p.text(r))
}

func (p *progress) text(r *progressRow) string {
	var detail string
	switch r.state {
	case stateBuilding:
		detail = fmt.Sprintf("%s (%s)", r.step, fmtDuration(p.now().Sub(r.started)))
	case stateDone:
		detail = fmtDuration(r.took)
	case stateFailed:
		detail = fmt.Sprintf("at step %q after %s", r.step, fmtDuration(r.took))
	}
	if r.note != "" {
		detail = strings.TrimSpace(detail + " " + r.note)
	}
	return strings.TrimRight(fmt.Sprintf("%-24s %-9s %s", r.name, r.state, detail), " ")
}

// draw redraws the table in place (caller holds mu).
func (p *progress) draw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, r := range p.rows {
		b.WriteString("\x1b[2K  " + p.text(r) + "\n")
	}
	p.drawn = len(p.rows)
	io.WriteString(p.w, b.String())
}

// line prints a plain line above the table (call before the first set).
func (p *progress) line(s string) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn == 0 {
		fmt.Fprintln(p.w, s)
	}
}

// close stops redrawing.
func (p *progress) close() {
	if p == nil || p.w == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.draw()
	}
}

// fmtDuration prints durations as 1m02s / 12s.
func fmtDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
