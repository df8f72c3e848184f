package sim

import (
	"container/heap"
	"time"
)

// clock is the virtual clock and its agenda: callbacks at virtual times,
// run in time order (ties in the order they were scheduled).
type clock struct {
	now    time.Time
	agenda agenda
	seq    int
}

type entry struct {
	at  time.Time
	seq int
	fn  func()
}

type agenda []entry

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(entry)) }
func (a *agenda) Pop() any {
	old := *a
	e := old[len(old)-1]
	*a = old[:len(old)-1]
	return e
}

// at schedules fn at t (at now when t is earlier).
func (c *clock) at(t time.Time, fn func()) {
	if t.Before(c.now) {
		t = c.now
	}
	c.seq++
	heap.Push(&c.agenda, entry{at: t, seq: c.seq, fn: fn})
}

// after schedules fn d from now.
func (c *clock) after(d time.Duration, fn func()) { c.at(c.now.Add(d), fn) }

// runUntil runs every callback due before end, advancing now, and leaves
// now at end. done, checked after each callback, stops it early.
func (c *clock) runUntil(end time.Time, done func() bool) {
	for c.agenda.Len() > 0 && c.agenda[0].at.Before(end) {
		e := heap.Pop(&c.agenda).(entry)
		c.now = e.at
		e.fn()
		if done != nil && done() {
			return
		}
	}
	c.now = end
}
