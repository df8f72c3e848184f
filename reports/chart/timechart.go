package chart

import (
	"math"
	"sort"
)

// Point is one sample of a series; a NaN Y breaks the line.
type Point struct{ X, Y float64 }

// Series is one line of a panel.
type Series struct {
	Name   string
	Class  string // CSS class giving its colour, e.g. "s-canary"
	Points []Point
	Step   bool // hold each value until the next point
	Area   bool // fill down to zero
	Dashed bool
	Thin   bool
}

// Panel is one stacked plot of a TimeChart.
type Panel struct {
	Title  string
	Height float64 // plot height, default 90
	Series []Series
	// YMax fixes the top of the y axis (0 = from the data).
	YMax float64
	// YFormat formats y tick labels (default: the number).
	YFormat func(float64) string
}

// Marker is a vertical line across every panel with a label on top.
type Marker struct {
	X     float64
	Label string
	Class string // e.g. "m-abort"
	Title string // tooltip
}

// Dot is a mark in the strip above the panels (an analysis measurement).
type Dot struct {
	X     float64
	Class string // e.g. "d-fail"
	Title string
}

// Band shades an x range in every panel.
type Band struct {
	From, To float64
	Class    string
	Title    string
}

// TimeChart is a stack of panels sharing an x axis in seconds.
type TimeChart struct {
	Label      string // accessible name
	Width      float64
	XMin, XMax float64
	XFormat    func(float64) string
	XTitle     string
	Panels     []Panel
	Markers    []Marker
	DotsLabel  string
	Dots       []Dot
	Bands      []Band
}

const (
	padL, padR   = 58.0, 14.0
	titleH       = 18.0
	panelGap     = 8.0
	markerRowH   = 13.0
	dotsH        = 18.0
	xAxisH       = 30.0
	defaultPanel = 90.0
	charW        = 5.7 // approximate width of one 11 px character
)

// SVG renders the chart.
func (t *TimeChart) SVG() string {
	w := t.Width
	if w == 0 {
		w = 960
	}
	if t.XMax <= t.XMin {
		t.XMax = t.XMin + 1
	}
	rows := t.markerRows(w)
	top := 4 + float64(rows)*markerRowH
	if len(t.Dots) > 0 {
		top += dotsH
	}
	h := top
	for _, p := range t.Panels {
		h += titleH + panelHeight(p) + panelGap
	}
	h += xAxisH
	var c canvas
	c.open(w, h, "chart timechart", t.Label)
	x := func(v float64) float64 { return padL + (v-t.XMin)/(t.XMax-t.XMin)*(w-padL-padR) }
	ticks := timeTicks(t.XMin, t.XMax, int((w-padL-padR)/90))
	y := top
	lastPlot := 0.0
	var labels canvas // panel titles and legends go over the markers
	for _, p := range t.Panels {
		ph := panelHeight(p)
		t.drawPanel(&c, &labels, p, x, ticks, w, y, ph)
		y += titleH + ph
		lastPlot = y
		y += panelGap
	}
	for _, v := range ticks {
		c.text(x(v), lastPlot+14, "middle", "tick", t.formatX(v))
	}
	if t.XTitle != "" {
		c.text(w-padR, lastPlot+27, "end", "axis-title", t.XTitle)
	}
	if len(t.Dots) > 0 {
		t.drawDots(&c, x, top-dotsH+9)
	}
	t.drawMarkers(&c, x, w, lastPlot)
	c.raw(labels.b.String())
	return c.close()
}

func panelHeight(p Panel) float64 {
	if p.Height > 0 {
		return p.Height
	}
	return defaultPanel
}

func (t *TimeChart) formatX(v float64) string {
	if t.XFormat != nil {
		return t.XFormat(v)
	}
	return f(v)
}

// drawPanel draws one panel whose title row starts at y0; its title and
// legend go to labels.
func (t *TimeChart) drawPanel(c, labels *canvas, p Panel, x func(float64) float64, ticks []float64, w, y0, ph float64) {
	top, bottom := y0+titleH, y0+titleH+ph
	labels.text(padL, y0+12, "start", "ptitle", p.Title)
	drawLegend(labels, p.Series, w-padR, y0+12)
	c.rect(padL, top, w-padL-padR, ph, "plot")
	for _, b := range t.Bands {
		x1, x2 := x(max(b.From, t.XMin)), x(min(b.To, t.XMax))
		if x2 > x1 {
			c.titled("band", b.Title)
			c.rect(x1, top, x2-x1, ph, b.Class)
			c.end()
		}
	}
	ymax := p.YMax
	if ymax == 0 {
		ymax = dataMax(p.Series)
	}
	yt, _, yhi := niceTicks(0, ymax, 3)
	if p.YMax > 0 {
		yhi = p.YMax
	}
	y := func(v float64) float64 { return bottom - min(v, yhi)/yhi*ph }
	for _, v := range ticks {
		c.line(x(v), top, x(v), bottom, "grid")
	}
	for _, v := range yt {
		if v > yhi+1e-9 {
			continue
		}
		c.line(padL, y(v), w-padR, y(v), "grid")
		label := f(v)
		if p.YFormat != nil {
			label = p.YFormat(v)
		}
		c.text(padL-6, y(v)+4, "end", "tick", label)
	}
	for _, s := range p.Series {
		drawSeries(c, s, x, y, bottom, t.XMin, t.XMax)
	}
	c.line(padL, bottom, w-padR, bottom, "axis")
}

// dataMax is the largest finite y of the series (1 when there is none).
func dataMax(ss []Series) float64 {
	m := 0.0
	for _, s := range ss {
		for _, p := range s.Points {
			if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) && p.Y > m {
				m = p.Y
			}
		}
	}
	if m == 0 {
		return 1
	}
	return m * 1.05
}

// drawLegend writes the series names right-aligned at (right, y).
func drawLegend(c *canvas, ss []Series, right, y float64) {
	xr := right
	for i := len(ss) - 1; i >= 0; i-- {
		s := ss[i]
		tw := float64(len([]rune(s.Name))) * charW
		c.text(xr, y, "end", "legend", s.Name)
		sw := xr - tw - 22
		cls := "swatch " + s.Class
		if s.Dashed {
			cls += " dashed"
		}
		c.line(sw, y-4, sw+16, y-4, cls)
		xr = sw - 14
	}
}

// drawSeries draws one series as a path (and its area).
func drawSeries(c *canvas, s Series, x, y func(float64) float64, bottom, xmin, xmax float64) {
	var d, area []byte
	var runs [][]Point
	var cur []Point
	for _, p := range s.Points {
		if p.X < xmin || p.X > xmax || math.IsNaN(p.Y) {
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, p)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	for _, run := range runs {
		seg := pathOf(run, s.Step, x, y)
		d = append(d, seg...)
		if s.Area {
			area = append(area, seg...)
			area = append(area, "L"+f(x(run[len(run)-1].X))+","+f(bottom)+"L"+f(x(run[0].X))+","+f(bottom)+"Z"...)
		}
	}
	if len(d) == 0 {
		return
	}
	cls := "series " + s.Class
	if s.Dashed {
		cls += " dashed"
	}
	if s.Thin {
		cls += " thin"
	}
	c.titled(cls, s.Name)
	if s.Area {
		c.raw(`<path class="area" d="`, string(area), `"/>`)
	}
	c.raw(`<path class="line" d="`, string(d), `"/>`)
	c.end()
}

// pathOf renders one unbroken run of points as path commands.
func pathOf(run []Point, step bool, x, y func(float64) float64) []byte {
	var b []byte
	for i, p := range run {
		px, py := f(x(p.X)), f(y(p.Y))
		switch {
		case i == 0:
			b = append(b, "M"+px+","+py...)
		case step:
			b = append(b, "H"+px+"V"+py...)
		default:
			b = append(b, "L"+px+","+py...)
		}
	}
	if len(run) == 1 {
		b = append(b, "h1"...)
	}
	return b
}

// markerRows assigns marker labels to rows so they do not overlap and
// returns how many rows are needed.
func (t *TimeChart) markerRows(w float64) int {
	_, rows := t.layoutMarkers(func(v float64) float64 { return padL + (v-t.XMin)/(t.XMax-t.XMin)*(w-padL-padR) }, w)
	return max(1, rows)
}

// labelBox is where a marker's label goes: its anchor, x and extent.
func labelBox(mx, w float64, label string) (anchor string, lx, left, right float64) {
	tw := float64(len([]rune(label))) * charW
	if mx+3+tw > w-2 {
		return "end", mx - 3, mx - 3 - tw, mx
	}
	return "start", mx + 3, mx, mx + 3 + tw
}

// layoutMarkers returns each marker's label row (in t.Markers order) and
// the number of rows: a label goes to the first row where it overlaps no
// other label.
func (t *TimeChart) layoutMarkers(x func(float64) float64, w float64) ([]int, int) {
	order := make([]int, len(t.Markers))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return t.Markers[order[a]].X < t.Markers[order[b]].X })
	row := make([]int, len(t.Markers))
	var rows [][][2]float64 // occupied label intervals per row
	for _, i := range order {
		mk := t.Markers[i]
		if mk.X < t.XMin || mk.X > t.XMax {
			continue
		}
		_, _, left, right := labelBox(x(mk.X), w, mk.Label)
		r := 0
		for ; r < len(rows); r++ {
			free := true
			for _, iv := range rows[r] {
				if left < iv[1]+6 && iv[0] < right+6 {
					free = false
					break
				}
			}
			if free {
				break
			}
		}
		if r == len(rows) {
			rows = append(rows, nil)
		}
		rows[r] = append(rows[r], [2]float64{left, right})
		row[i] = r
	}
	return row, len(rows)
}

// drawMarkers draws vertical marker lines down to y1 with labels above.
func (t *TimeChart) drawMarkers(c *canvas, x func(float64) float64, w, y1 float64) {
	rows, n := t.layoutMarkers(x, w)
	for i, mk := range t.Markers {
		if mk.X < t.XMin || mk.X > t.XMax {
			continue
		}
		ly := 4 + float64(n-rows[i])*markerRowH - 3
		c.titled("marker "+mk.Class, mk.Title)
		c.line(x(mk.X), ly+2, x(mk.X), y1, "mline")
		anchor, lx, _, _ := labelBox(x(mk.X), w, mk.Label)
		c.text(lx, ly, anchor, "mlabel", mk.Label)
		c.end()
	}
}

// drawDots draws the dot strip centred on y.
func (t *TimeChart) drawDots(c *canvas, x func(float64) float64, y float64) {
	c.text(padL-6, y+4, "end", "tick", t.DotsLabel)
	for _, d := range t.Dots {
		if d.X < t.XMin || d.X > t.XMax {
			continue
		}
		c.titled("dot "+d.Class, d.Title)
		c.raw(`<circle cx="`, f(x(d.X)), `" cy="`, f(y), `" r="4.5"/>`)
		c.end()
	}
}
