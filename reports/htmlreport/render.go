package htmlreport

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/coalmine/coalmine/results"
)

//go:embed report.html.tmpl
var reportTemplate string

//go:embed style.css
var styleCSS string

// parseTemplate parses the page template (once per Write: cheap, and no
// package-level state).
func parseTemplate() (*template.Template, error) {
	return template.New("report").Funcs(template.FuncMap{
		"add": func(a, b int) int { return a + b },
	}).Parse(reportTemplate)
}

// Write renders runs as one HTML page to w. Several runs make one
// comparison: a scoreboard per scenario, then each run's details.
func Write(ctx context.Context, w io.Writer, runs ...*results.Results) error {
	if len(runs) == 0 {
		return fmt.Errorf("html report: no runs")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t, err := parseTemplate()
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	p := buildPage(runs)
	data := struct {
		*page
		CSS    template.CSS
		Schema string
	}{p, template.CSS(styleCSS), results.SchemaVersion}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return nil
}
