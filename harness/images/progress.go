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
	eta   *etaPlan
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

// etaPlan is what the remaining-time estimate needs: the targets being
// built in scheduling order, their expected times and the job slots.
type etaPlan struct {
	order []*Target
	times *buildTimes
	jobs  int
}

// plan turns on the remaining-time estimate.
func (p *progress) plan(order []*Target, times *buildTimes, jobs int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.eta = &etaPlan{order: order, times: times, jobs: jobs}
}

// left estimates the time until the build ends (caller holds mu); ok is
// false when nothing is left or no plan was given.
func (p *progress) left() (string, bool) {
	if p.eta == nil {
		return "", false
	}
	var todo []simTarget
	allMeasured := true
	for _, t := range p.eta.order {
		r := p.row(t.Name)
		est, measured := p.eta.times.estimate(t.Name)
		switch r.state {
		case stateQueued:
			todo = append(todo, simTarget{name: t.Name, deps: t.Deps, left: est, light: t.Light})
		case stateBuilding:
			left := max(est-p.now().Sub(r.started), est/10)
			todo = append(todo, simTarget{name: t.Name, deps: t.Deps, left: left, running: true, light: t.Light})
		default:
			continue
		}
		allMeasured = allMeasured && measured
	}
	if len(todo) == 0 {
		return "", false
	}
	return fmtLeft(remaining(todo, p.eta.jobs), allMeasured), true
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
	line := p.text(r)
	if left, ok := p.left(); ok && (state == stateDone || state == stateFailed) {
		line += " · " + left
	}
	fmt.Fprintf(p.w, "[%7s] %s\n", fmtDuration(p.now().Sub(p.start)), line)
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
	if p.eta != nil { // a footer line, blank when nothing is left
		left, _ := p.left()
		b.WriteString("\x1b[2K  " + left + "\n")
		p.drawn++
	}
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

// summary prints how many targets are to build and the first estimate
// (plain output only: a terminal shows the estimate under the table).
func (p *progress) summary(n int) {
	if p == nil || p.w == nil || p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	left, _ := p.left()
	fmt.Fprintf(p.w, "images: %d to build, %s\n", n, left)
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
