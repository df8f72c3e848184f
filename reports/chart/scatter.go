package chart

import (
	"math"
	"sort"
)

// ScatterPoint is one labelled point; a NaN X puts it in the "never"
// gutter at the right (e.g. a strategy that promoted no good release).
type ScatterPoint struct {
	X, Y  float64
	Label string
	Class string
	Title string
}

// Scatter is a labelled scatter plot with zero-based axes.
type Scatter struct {
	Label          string
	Width, Height  float64
	XTitle, YTitle string
	XFormat        func(float64) string
	YFormat        func(float64) string
	// Gutter names the right-hand column for points without X.
	Gutter string
	// Better labels the bottom-left corner ("better").
	Better string
	// XSeconds puts x ticks on round durations (1, 2, 5, 10 min...).
	XSeconds bool
	Points   []ScatterPoint
}

// SVG renders the scatter plot.
func (s *Scatter) SVG() string {
	w, h := s.Width, s.Height
	if w == 0 {
		w = 640
	}
	if h == 0 {
		h = 340
	}
	const l, r, top, bottom = 64.0, 20.0, 16.0, 44.0
	gutter := 0.0
	xmax, ymax := 0.0, 0.0
	for _, p := range s.Points {
		if math.IsNaN(p.X) {
			gutter = 70
		} else {
			xmax = max(xmax, p.X)
		}
		ymax = max(ymax, p.Y)
	}
	xt, _, xhi := niceTicks(0, max(xmax*1.1, 1), 5)
	if s.XSeconds {
		xhi = max(xmax*1.1, 1)
		xt = timeTicks(0, xhi, 5)
	}
	yt, _, yhi := niceTicks(0, max(ymax*1.1, 1), 4)
	pw, ph := w-l-r-gutter, h-top-bottom
	x := func(v float64) float64 { return l + v/xhi*pw }
	y := func(v float64) float64 { return top + ph - v/yhi*ph }
	var c canvas
	c.open(w, h, "chart scatter", s.Label)
	c.rect(l, top, pw, ph, "plot")
	for _, v := range xt {
		c.line(x(v), top, x(v), top+ph, "grid")
		c.text(x(v), top+ph+15, "middle", "tick", format(s.XFormat, v))
	}
	for _, v := range yt {
		c.line(l, y(v), l+pw, y(v), "grid")
		c.text(l-6, y(v)+4, "end", "tick", format(s.YFormat, v))
	}
	if gutter > 0 {
		c.rect(l+pw+8, top, gutter-8, ph, "plot gutter")
		c.text(l+pw+8+(gutter-8)/2, top+ph+15, "middle", "tick", s.Gutter)
	}
	if s.Better != "" {
		c.text(l+8, top+ph-8, "start", "better", "↙ "+s.Better)
	}
	c.text(l+pw, top+ph+34, "end", "axis-title", s.XTitle)
	c.raw(`<text class="axis-title" text-anchor="middle" transform="translate(14,`, f(top+ph/2), `) rotate(-90)">`, esc(s.YTitle), `</text>`)
	order := make([]int, len(s.Points))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return s.Points[order[a]].Y > s.Points[order[b]].Y })
	px := func(p ScatterPoint) float64 {
		if math.IsNaN(p.X) {
			return l + pw + 8 + (gutter-8)/2
		}
		return x(p.X)
	}
	// Labels must not cover another label or point.
	var taken []box
	for _, p := range s.Points {
		taken = append(taken, box{px(p) - 6, y(p.Y) - 6, px(p) + 6, y(p.Y) + 6})
	}
	for _, i := range order {
		p := s.Points[i]
		cx, cy := px(p), y(p.Y)
		anchor, lx, ly, b := placeLabel(cx, cy, p.Label, w-r, taken)
		taken = append(taken, b)
		c.titled("point "+p.Class, p.Title)
		c.raw(`<circle cx="`, f(cx), `" cy="`, f(cy), `" r="6"/>`)
		c.text(lx, ly, anchor, "plabel", p.Label)
		c.end()
	}
	return c.close()
}

func format(fn func(float64) string, v float64) string {
	if fn != nil {
		return fn(v)
	}
	return f(v)
}

// box is a rectangle in SVG coordinates.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// placeLabel tries right, left, above and below a point (then further
// down) for a label that overlaps nothing taken and stays inside right.
func placeLabel(cx, cy float64, label string, right float64, taken []box) (anchor string, lx, ly float64, b box) {
	tw := float64(len([]rune(label))) * charW
	type cand struct {
		anchor string
		lx, ly float64
	}
	cands := []cand{
		{"start", cx + 10, cy + 4}, {"end", cx - 10, cy + 4},
		{"start", cx + 6, cy - 10}, {"start", cx + 6, cy + 18},
		{"end", cx - 6, cy - 10}, {"end", cx - 6, cy + 18},
	}
	for k := 2; k < 6; k++ {
		cands = append(cands, cand{"end", cx - 10, cy + 4 + float64(k)*13})
	}
	for _, c := range cands {
		b := box{c.lx, c.ly - 10, c.lx + tw, c.ly + 3}
		if c.anchor == "end" {
			b.x0, b.x1 = c.lx-tw, c.lx
		}
		if b.x1 > right {
			continue
		}
		free := true
		for _, t := range taken {
			if b.overlaps(t) {
				free = false
				break
			}
		}
		if free {
			return c.anchor, c.lx, c.ly, b
		}
	}
	c := cands[1]
	return c.anchor, c.lx, c.ly, box{c.lx - tw, c.ly - 10, c.lx, c.ly + 3}
}
