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

// scatterFrame is the plot area of a scatter plot and its scales.
type scatterFrame struct {
	l, top, pw, ph, gutter, xhi, yhi float64
}

func (fr scatterFrame) x(v float64) float64 { return fr.l + v/fr.xhi*fr.pw }
func (fr scatterFrame) y(v float64) float64 { return fr.top + fr.ph - v/fr.yhi*fr.ph }

// px places a point horizontally: in the gutter when its X is NaN.
func (fr scatterFrame) px(p ScatterPoint) float64 {
	if math.IsNaN(p.X) {
		return fr.l + fr.pw + 8 + (fr.gutter-8)/2
	}
	return fr.x(p.X)
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
	gutter, xmax, ymax := s.extent()
	xt, _, xhi := niceTicks(0, max(xmax*1.1, 1), 5)
	if s.XSeconds {
		xhi = max(xmax*1.1, 1)
		xt = timeTicks(0, xhi, 5)
	}
	yt, _, yhi := niceTicks(0, max(ymax*1.1, 1), 4)
	fr := scatterFrame{l: l, top: top, pw: w - l - r - gutter, ph: h - top - bottom, gutter: gutter, xhi: xhi, yhi: yhi}
	var c canvas
	c.open(w, h, "chart scatter", s.Label)
	c.rect(l, top, fr.pw, fr.ph, "plot")
	for _, v := range xt {
		c.line(fr.x(v), top, fr.x(v), top+fr.ph, "grid")
		c.text(fr.x(v), top+fr.ph+15, "middle", "tick", format(s.XFormat, v))
	}
	for _, v := range yt {
		c.line(l, fr.y(v), l+fr.pw, fr.y(v), "grid")
		c.text(l-6, fr.y(v)+4, "end", "tick", format(s.YFormat, v))
	}
	if gutter > 0 {
		c.rect(l+fr.pw+8, top, gutter-8, fr.ph, "plot gutter")
		c.text(l+fr.pw+8+(gutter-8)/2, top+fr.ph+15, "middle", "tick", s.Gutter)
	}
	if s.Better != "" {
		c.text(l+8, top+fr.ph-8, "start", "better", "↙ "+s.Better)
	}
	c.text(l+fr.pw, top+fr.ph+34, "end", "axis-title", s.XTitle)
	c.raw(`<text class="axis-title" text-anchor="middle" transform="translate(14,`, f(top+fr.ph/2), `) rotate(-90)">`, esc(s.YTitle), `</text>`)
	s.points(&c, fr, w-r)
	return c.close()
}

// extent returns the gutter width (for points without X) and the largest
// X and Y.
func (s *Scatter) extent() (gutter, xmax, ymax float64) {
	for _, p := range s.Points {
		if math.IsNaN(p.X) {
			gutter = 70
		} else {
			xmax = max(xmax, p.X)
		}
		ymax = max(ymax, p.Y)
	}
	return gutter, xmax, ymax
}

// points draws the points, highest first, with labels that cover no other
// label or point (right is the rightmost x a label may reach).
func (s *Scatter) points(c *canvas, fr scatterFrame, right float64) {
	order := make([]int, len(s.Points))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return s.Points[order[a]].Y > s.Points[order[b]].Y })
	var taken []box
	for _, p := range s.Points {
		taken = append(taken, box{fr.px(p) - 6, fr.y(p.Y) - 6, fr.px(p) + 6, fr.y(p.Y) + 6})
	}
	for _, i := range order {
		p := s.Points[i]
		cx, cy := fr.px(p), fr.y(p.Y)
		anchor, lx, ly, b := placeLabel(cx, cy, p.Label, right, taken)
		taken = append(taken, b)
		c.titled("point "+p.Class, p.Title)
		c.raw(`<circle cx="`, f(cx), `" cy="`, f(cy), `" r="6"/>`)
		c.text(lx, ly, anchor, "plabel", p.Label)
		c.end()
	}
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
