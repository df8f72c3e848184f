package reports

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/reports/score"
	"github.com/coalmine/coalmine/results"
)

// benchRecords is the size of the benchmark's records file.
const benchRecords = 1_000_000

// writeBenchRecords writes a records file of n requests over 1,000 s of
// diurnal traffic (about 1,000 rps) with two releases — v2 bad, aborted;
// v3 good, promoted — and returns the scoring input for it.
func writeBenchRecords(tb testing.TB, path string, n int) score.Input {
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return start.Add(time.Duration(s * float64(time.Second))) }
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := loadgen.NewRecordWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	const span = 1000.0
	var rec loadgen.Record
	for i := range n {
		// Diurnal density: requests are denser mid-run.
		u := float64(i) / float64(n)
		t := span * (u + 0.3*math.Sin(2*math.Pi*u)/(2*math.Pi))
		v, errRate := "v1", 0.002
		switch {
		case t >= 200 && t < 410 && rng.Float64() < 0.1:
			v, errRate = "v2", 0.03
		case t >= 500 && t < 800 && rng.Float64() < 0.25, t >= 800:
			v = "v3"
		}
		rec = loadgen.Record{
			Start: at(t), Endpoint: "catalog", User: fmt.Sprintf("u%04d", rng.IntN(5000)), Status: 200,
			Latency: time.Duration((10 + 5*rng.ExpFloat64()) * float64(time.Millisecond)), Version: v,
		}
		if rng.Float64() < errRate {
			rec.Status, rec.Error = 500, "500 Internal Server Error"
		}
		if err := w.Write(&rec); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	w10, w25, w0, w100 := 10, 25, 0, 100
	return score.Input{
		Stable: "v1",
		Releases: []score.Release{
			{Index: 1, Version: "v2", Bad: true, Fault: "3 % errors", ReleasedAt: at(200)},
			{Index: 2, Version: "v3", ReleasedAt: at(500)},
		},
		Timeline: []results.Event{
			{Time: at(200), Kind: results.EventWeight, Release: 1, Weight: &w10},
			{Time: at(260), Kind: results.EventMeasurement, Release: 1, Metric: "success-rate", Phase: "Failed", Value: "0.97"},
			{Time: at(400), Kind: results.EventAborted, Release: 1},
			{Time: at(400), Kind: results.EventWeight, Release: 1, Weight: &w0},
			{Time: at(500), Kind: results.EventWeight, Release: 2, Weight: &w25},
			{Time: at(800), Kind: results.EventPromoted, Release: 2},
			{Time: at(800), Kind: results.EventWeight, Release: 2, Weight: &w100},
		},
		End: at(span),
	}
}

// BenchmarkScoreAndRender1M scores a million-record run from its records
// file and renders every report (HTML, Markdown, JUnit).
func BenchmarkScoreAndRender1M(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "records.tsv")
	in := writeBenchRecords(b, path, benchRecords)
	in.Records = score.FileSource(path)
	out := filepath.Join(dir, "out")
	for b.Loop() {
		sc, err := score.Score(ctx, in, score.Options{})
		if err != nil {
			b.Fatal(err)
		}
		res := &results.Results{
			SchemaVersion: results.SchemaVersion,
			Scenario:      results.ScenarioInfo{Name: "bench"},
			Environment:   results.Environment{Kind: "sim"},
			StartedAt:     in.Releases[0].ReleasedAt.Add(-200 * time.Second), FinishedAt: in.End, Complete: true,
			Strategies: []results.StrategyRun{{
				Name: "bench", StrategyYAML: "canary: {}\n", Complete: true,
				Timeline: in.Timeline, Series: sc.Series, Releases: sc.Releases,
			}},
		}
		if err := WriteAll(ctx, out, res); err != nil {
			b.Fatal(err)
		}
		if got := sc.Releases[0].Scores.Outcome; got != results.OutcomeCaught {
			b.Fatalf("release 1 outcome = %s, want caught", got)
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
