package scoreboard

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Duration formats seconds for people: "850 ms", "42 s", "4 m 05 s",
// "2 h 10 m"; "—" for nil.
func Duration(s *float64) string {
	if s == nil {
		return "—"
	}
	return Seconds(*s)
}

// Seconds formats a number of seconds like Duration.
func Seconds(s float64) string {
	switch {
	case s < 1 && s > 0:
		return fmt.Sprintf("%d ms", int(math.Round(s*1000)))
	case s < 59.5:
		return strconv.FormatFloat(s, 'f', precision(s), 64) + " s"
	case s < 3600:
		t := int(math.Round(s))
		return fmt.Sprintf("%d m %02d s", t/60, t%60)
	default:
		t := int(math.Round(s / 60))
		return fmt.Sprintf("%d h %02d m", t/60, t%60)
	}
}

// precision shows tenths below ten seconds.
func precision(s float64) int {
	if s < 10 && s != math.Trunc(s) {
		return 1
	}
	return 0
}

// Int formats n with thousands separators: 1,067.
func Int(n int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	d := strconv.Itoa(n)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Count formats a possibly fractional count: whole numbers with
// separators, others rounded to one decimal ("12.5").
func Count(v float64) string {
	r := math.Round(v)
	if math.Abs(v-r) < 0.05 || math.Abs(v) >= 1000 {
		return Int(int(r))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// Percent formats a 0..1 rate as a percentage: "0.12 %", "5.0 %".
func Percent(rate float64) string {
	p := rate * 100
	switch {
	case p == 0:
		return "0 %"
	case p < 1:
		return strconv.FormatFloat(p, 'f', 2, 64) + " %"
	default:
		return strconv.FormatFloat(p, 'f', 1, 64) + " %"
	}
}

// Pct formats a value already in percent: "9.8 %".
func Pct(p float64) string { return strconv.FormatFloat(p, 'f', 1, 64) + " %" }
