package markdown

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/golden"

	"github.com/coalmine/coalmine/reports/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestGolden(t *testing.T) {
	for _, c := range fixture.Cases {
		t.Run(c.Name, func(t *testing.T) {
			runs, err := fixture.BuildAll(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(context.Background(), &buf, runs...); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", c.Name+".golden.md"), buf.Bytes(), *update)
		})
	}
}

func TestOneLinePerRelease(t *testing.T) {
	runs, err := fixture.BuildAll(context.Background(), fixture.Cases[0])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, runs...); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	releases := 0
	for _, s := range runs[0].Strategies {
		releases += len(s.Releases)
		if !strings.Contains(md, "| **"+esc(s.Name)+"** |") {
			t.Errorf("scoreboard has no row for %s", s.Name)
		}
	}
	if got := strings.Count(md, "\n- "); got != releases {
		t.Errorf("%d release lines, want %d", got, releases)
	}
	for _, want := range []string{"**caught**", "**missed**", "**false alarm**", "**promoted**", "**timeout**", "❌", "✅"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"a|b *c* <d>":       `a\|b \*c\* \<d>`,
		"ttd 1m46s > 1m30s": "ttd 1m46s > 1m30s", // printed on terminals as is: no entities
	} {
		if got := esc(in); got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoRuns(t *testing.T) {
	if err := Write(context.Background(), &bytes.Buffer{}); err == nil {
		t.Error("want an error without runs")
	}
}
