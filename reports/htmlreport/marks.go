package htmlreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/coalmine/coalmine/reports/chart"
	"github.com/coalmine/coalmine/reports/scoreboard"
	"github.com/coalmine/coalmine/results"
)

// releaseMarks returns the markers (release, fault onset, abort, restore,
// promote, timeout) and analysis measurement dots of a release chart.
func releaseMarks(sp releaseSpan, x func(time.Time) float64) ([]chart.Marker, []chart.Dot) {
	rel := sp.rel
	var ms []chart.Marker
	var dots []chart.Dot
	ms = append(ms, chart.Marker{X: 0, Label: "released " + rel.Version, Class: "m-release",
		Title: "released " + rel.Version + " at " + stamp(rel.ReleasedAt)})
	onset := rel.ReleasedAt
	if rel.FaultOnset != nil {
		onset = *rel.FaultOnset
		if d := onset.Sub(rel.ReleasedAt); d > time.Second || d < -time.Second {
			ms = append(ms, chart.Marker{X: x(onset), Label: "fault onset", Class: "m-onset", Title: "fault onset at " + stamp(onset)})
		}
	}
	for _, e := range sp.events {
		switch e.Kind {
		case results.EventAborted:
			ms = append(ms, chart.Marker{X: x(e.Time), Label: "abort", Class: "m-abort", Title: eventTitle(e)})
		case results.EventPromoted:
			ms = append(ms, chart.Marker{X: x(e.Time), Label: "promoted", Class: "m-promote", Title: eventTitle(e)})
		case results.EventTimeout:
			ms = append(ms, chart.Marker{X: x(e.Time), Label: "timeout", Class: "m-timeout", Title: eventTitle(e)})
		case results.EventMeasurement:
			dots = append(dots, chart.Dot{X: x(e.Time), Class: phaseClass(e.Phase), Title: measurementTitle(e)})
		}
	}
	if t := rel.Scores.TimeToRestoreSeconds; t != nil && rel.Bad {
		at := onset.Add(time.Duration(*t * float64(time.Second)))
		ms = append(ms, chart.Marker{X: x(at), Label: "restored", Class: "m-restore",
			Title: fmt.Sprintf("last response from %s at %s (%s after onset)", rel.Version, stamp(at), scoreboard.Seconds(*t))})
	}
	return ms, dots
}

func phaseClass(phase string) string {
	switch phase {
	case "Successful":
		return "d-pass"
	case "Failed", "Error":
		return "d-fail"
	default:
		return "d-inc"
	}
}

func measurementTitle(e results.Event) string {
	parts := []string{e.Metric, "=", e.Value, "·", e.Phase, "·", stamp(e.Time)}
	if e.AnalysisRun != "" {
		parts = append(parts, "·", e.AnalysisRun)
	}
	return strings.Join(parts, " ")
}

func eventTitle(e results.Event) string {
	s := string(e.Kind) + " at " + stamp(e.Time)
	if e.Reason != "" {
		s += " · " + e.Reason
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// stamp formats an instant for tooltips and tables.
func stamp(t time.Time) string { return t.UTC().Format("15:04:05.0") }

// clock formats seconds as [-]m:ss or h:mm:ss.
func clock(s float64) string {
	sign := ""
	if s < 0 {
		sign, s = "−", -s
	}
	t := int(s + 0.5)
	if t >= 3600 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%s%d:%02d", sign, t/60, t%60)
}

// trimPct prints a percentage tick without useless decimals.
func trimPct(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
