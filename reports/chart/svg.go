package chart

import (
	"html"
	"math"
	"strconv"
	"strings"
)

// canvas accumulates SVG markup.
type canvas struct{ b strings.Builder }

// f formats a coordinate with at most one decimal.
func f(v float64) string {
	v = math.Round(v*10) / 10
	if v == math.Trunc(v) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// esc escapes text for SVG content and attributes.
func esc(s string) string { return html.EscapeString(s) }

func (c *canvas) raw(s ...string) {
	for _, p := range s {
		c.b.WriteString(p)
	}
}

func (c *canvas) line(x1, y1, x2, y2 float64, class string) {
	c.raw(`<line x1="`, f(x1), `" y1="`, f(y1), `" x2="`, f(x2), `" y2="`, f(y2), `" class="`, class, `"/>`)
}

func (c *canvas) rect(x, y, w, h float64, class string) {
	c.raw(`<rect x="`, f(x), `" y="`, f(y), `" width="`, f(max(0, w)), `" height="`, f(max(0, h)), `" class="`, class, `"/>`)
}

// text writes a label; anchor is start, middle or end.
func (c *canvas) text(x, y float64, anchor, class, s string) {
	c.raw(`<text x="`, f(x), `" y="`, f(y), `" text-anchor="`, anchor, `" class="`, class, `">`, esc(s), `</text>`)
}

// titled opens a group with a tooltip.
func (c *canvas) titled(class, title string) {
	c.raw(`<g class="`, class, `"><title>`, esc(title), `</title>`)
}

func (c *canvas) end() { c.raw(`</g>`) }

// open starts an <svg> of the given size with an accessible label.
func (c *canvas) open(w, h float64, class, label string) {
	c.raw(`<svg class="`, class, `" viewBox="0 0 `, f(w), " ", f(h),
		`" width="`, f(w), `" height="`, f(h), `" role="img" aria-label="`, esc(label), `">`)
	c.raw(`<title>`, esc(label), `</title>`)
}

func (c *canvas) close() string {
	c.raw(`</svg>`)
	return c.b.String()
}
