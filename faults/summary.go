package faults

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Summary is a one-line human description of f, e.g.
// "5 % errors (500) above 45 rps per pod" ("" for no faults).
func (f *Faults) Summary() string {
	if f.IsZero() {
		return ""
	}
	var parts []string
	if e := f.Errors; e != nil {
		parts = append(parts, fmt.Sprintf("%s errors (%d)", pct(e.Rate), e.Status)+
			scope(e.Paths, e.Cohort, e.MinRPS)+onset(e.After))
	}
	if l := f.Latency; l != nil {
		parts = append(parts, fmt.Sprintf("+%s latency on %s of requests", latencyText(l), pct(l.Share))+scope(l.Paths, 0, 0)+onset(l.After))
	}
	if c := f.Crash; c != nil {
		parts = append(parts, crashText(c))
	}
	if l := f.Leak; l != nil {
		parts = append(parts, fmt.Sprintf("leaks %d B per request", l.BytesPerRequest))
	}
	if r := f.Readiness; r != nil {
		parts = append(parts, "not ready"+onset(r.After))
	}
	if c := f.CPU; c != nil {
		parts = append(parts, fmt.Sprintf("burns %s CPU per request", c.PerRequest))
	}
	return strings.Join(parts, "; ")
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'g', 4, 64) + " %" }

func scope(paths []string, cohort, minRPS float64) string {
	var s string
	if len(paths) > 0 {
		s += " on " + strings.Join(paths, ", ")
	}
	if cohort > 0 {
		s += " for " + pct(cohort) + " of users"
	}
	if minRPS > 0 {
		s += fmt.Sprintf(" above %g rps per pod", minRPS)
	}
	return s
}

func onset(after Duration) string {
	if after.D() <= 0 {
		return ""
	}
	return " after " + after.D().String()
}

func latencyText(l *LatencyFault) string {
	switch l.Distribution {
	case DistFixed:
		return l.Mean.String()
	case DistUniform:
		return l.Min.String() + "–" + l.Max.String()
	case DistPareto:
		return fmt.Sprintf("≥%s (pareto α=%g)", l.Scale, l.Shape)
	}
	return fmt.Sprintf("%s±%s (%s)", l.Mean, l.Stddev, l.Distribution)
}

func crashText(c *CrashFault) string {
	var when []string
	if c.After.D() > 0 {
		when = append(when, "after "+time.Duration(c.After).String())
	}
	if c.Requests > 0 {
		when = append(when, fmt.Sprintf("at request %d", c.Requests))
	}
	if len(when) == 0 {
		return "crashes"
	}
	return "crashes " + strings.Join(when, " or ")
}
