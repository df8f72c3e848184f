package chart

import (
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 97, 4, []float64{0, 25, 50, 75, 100}},
		{0, 1, 3, []float64{0, 0.5, 1}},
		{0, 0.013, 3, []float64{0, 0.005, 0.01, 0.015}},
		{0, 0, 3, []float64{0, 0.5, 1}},
		{0, 1050, 4, []float64{0, 500, 1000, 1500}},
	}
	for _, tc := range tests {
		got, _, _ := niceTicks(tc.lo, tc.hi, tc.n)
		if !slices.EqualFunc(got, tc.want, func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
			t.Errorf("niceTicks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{-20, 130, 5, []float64{0, 30, 60, 90, 120}},
		{0, 720, 6, []float64{0, 120, 240, 360, 480, 600, 720}},
		{0, 86400, 4, []float64{0, 21600, 43200, 64800, 86400}},
	}
	for _, tc := range tests {
		if got := timeTicks(tc.lo, tc.hi, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("timeTicks(%v, %v, %d) = %v, want %v", tc.lo, tc.hi, tc.n, got, tc.want)
		}
	}
}

// parseSVG checks that s is well-formed XML and returns its elements by name.
func parseSVG(t *testing.T, s string) map[string][]xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	els := map[string][]xml.StartElement{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return els
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			els[se.Name.Local] = append(els[se.Name.Local], se)
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func sampleChart() *TimeChart {
	nan := math.NaN()
	return &TimeChart{
		Label: "release <1> & co", XMin: -10, XMax: 100, XFormat: func(v float64) string { return "t" + f(v) },
		Panels: []Panel{
			{Title: "Traffic", Series: []Series{{Name: "total", Class: "s-total", Area: true,
				Points: []Point{{0, 1}, {10, 2}, {20, nan}, {30, 3}, {40, 4}}}}},
			{Title: "Weight", YMax: 100, Series: []Series{{Name: "configured", Class: "s-conf", Step: true, Dashed: true,
				Points: []Point{{0, 0}, {10, 10}, {50, 100}, {100, 100}}}}},
		},
		Markers: []Marker{{X: 0, Label: "released", Class: "m-release"}, {X: 1, Label: "abort", Class: "m-abort"},
			{X: 99, Label: "restored", Class: "m-restore"}, {X: 500, Label: "out of range"}},
		DotsLabel: "analysis", Dots: []Dot{{X: 5, Class: "d-fail", Title: "failed"}},
		Bands: []Band{{From: 0, To: 50, Class: "band-caught"}},
	}
}

func TestTimeChartSVG(t *testing.T) {
	c := sampleChart()
	s := c.SVG()
	els := parseSVG(t, s)
	if n := len(els["svg"]); n != 1 {
		t.Fatalf("%d <svg> elements, want 1", n)
	}
	if !strings.Contains(s, "release &lt;1&gt; &amp; co") {
		t.Error("label is not escaped")
	}
	var lines []string
	for _, p := range els["path"] {
		if attr(p, "class") == "line" {
			lines = append(lines, attr(p, "d"))
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d line paths, want 2", len(lines))
	}
	if got := strings.Count(lines[0], "M"); got != 2 {
		t.Errorf("NaN should break the traffic line into 2 runs, got %d: %s", got, lines[0])
	}
	if !strings.Contains(lines[1], "H") || !strings.Contains(lines[1], "V") {
		t.Errorf("step series should use H/V commands: %s", lines[1])
	}
	if got := strings.Count(s, `class="marker `); got != 3 {
		t.Errorf("%d markers drawn, want 3 (one is out of range)", got)
	}
	if len(els["circle"]) != 1 {
		t.Errorf("%d dots, want 1", len(els["circle"]))
	}
	if !strings.Contains(s, ">t0<") || !strings.Contains(s, ">t90<") {
		t.Error("x ticks are not formatted with XFormat")
	}
	if c.SVG() != s {
		t.Error("rendering is not deterministic")
	}
}

func TestMarkerLabelsDoNotOverlap(t *testing.T) {
	c := sampleChart()
	w := 960.0
	x := func(v float64) float64 { return padL + (v-c.XMin)/(c.XMax-c.XMin)*(w-padL-padR) }
	rows, n := c.layoutMarkers(x, w)
	if n < 2 {
		t.Fatalf("released and abort are 1 s apart: want 2 label rows, got %d", n)
	}
	if rows[0] == rows[1] {
		t.Errorf("released and abort share row %d", rows[0])
	}
	if rows[2] != 0 {
		t.Errorf("restored has room in row 0, got row %d", rows[2])
	}
}

func TestScatterSVG(t *testing.T) {
	s := (&Scatter{
		Label: "cost vs risk", XTitle: "time to promote", YTitle: "excess failures", Gutter: "never", XSeconds: true,
		Points: []ScatterPoint{
			{X: 120, Y: 50, Label: "fail-fast", Class: "p0"},
			{X: math.NaN(), Y: 700, Label: "classic", Class: "p1"},
			{X: 140, Y: 52, Label: "twin", Class: "p2"},
		},
	}).SVG()
	els := parseSVG(t, s)
	if len(els["circle"]) != 3 {
		t.Errorf("%d points, want 3", len(els["circle"]))
	}
	if !strings.Contains(s, ">never<") {
		t.Error("a point without x needs the gutter")
	}
	var ys []string
	for _, tx := range els["text"] {
		if attr(tx, "class") == "plabel" {
			ys = append(ys, attr(tx, "y"))
		}
	}
	if len(ys) != 3 || ys[1] == ys[2] {
		t.Errorf("labels of nearby points should not share a baseline: %v", ys)
	}
}
