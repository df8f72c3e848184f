package reports

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/coalmine/coalmine/internal/atomicfile"
	"github.com/coalmine/coalmine/reports/htmlreport"
	"github.com/coalmine/coalmine/reports/junit"
	"github.com/coalmine/coalmine/reports/markdown"
	"github.com/coalmine/coalmine/results"
)

// Report file names written by WriteAll.
const (
	HTMLFile     = "report.html"
	MarkdownFile = "report.md"
	JUnitFile    = "junit.xml"
)

// renderer writes one report of runs.
type renderer func(ctx context.Context, w io.Writer, runs ...*results.Results) error

// WriteAll renders runs into outDir as report.html, report.md and
// junit.xml, creating outDir if needed. Each file is replaced atomically.
// Several runs make one comparison.
func WriteAll(ctx context.Context, outDir string, runs ...*results.Results) error {
	if len(runs) == 0 {
		return fmt.Errorf("write reports: no results")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	for _, f := range []struct {
		name   string
		render renderer
	}{
		{HTMLFile, htmlreport.Write},
		{MarkdownFile, markdown.Write},
		{JUnitFile, junit.Write},
	} {
		var buf bytes.Buffer
		if err := f.render(ctx, &buf, runs...); err != nil {
			return fmt.Errorf("write reports: %w", err)
		}
		if err := writeFile(filepath.Join(outDir, f.name), buf.Bytes()); err != nil {
			return fmt.Errorf("write reports: %w", err)
		}
	}
	return nil
}

// writeFile replaces path with data atomically.
func writeFile(path string, data []byte) error { return atomicfile.WriteBytes(path, 0o644, data) }
