package score

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// TestFileSourceMatchesSliceSource scores the same records read back from a
// real records file and from memory.
func TestFileSourceMatchesSliceSource(t *testing.T) {
	recs := traffic(map[string]int{"v1": 100, "v2": 3},
		phase{from: 0, to: 30, stable: "v1"},
		phase{from: 30, to: 60, stable: "v1", canary: "v2", share: 20},
		phase{from: 60, to: 90, stable: "v1"})
	path := filepath.Join(t.TempDir(), "records.tsv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := loadgen.NewRecordWriter(f)
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	in := Input{
		Stable:   "v1",
		Releases: []Release{{Index: 1, Version: "v2", Bad: true, ReleasedAt: at(30)}},
		Timeline: []results.Event{weightEv(30, 1, 20), ev(60, results.EventAborted, 1)},
	}
	in.Records = SliceSource(recs)
	fromMem, err := Score(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	in.Records = FileSource(path)
	fromFile, err := Score(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fromFile.Releases[0].Scores.CanaryRequests != 600 {
		t.Errorf("canary requests from file = %d, want 600", fromFile.Releases[0].Scores.CanaryRequests)
	}
	// Times read back carry the local zone; compare instants.
	if diff := cmp.Diff(fromMem, fromFile); diff != "" {
		t.Errorf("file vs memory (-mem +file):\n%s", diff)
	}
	if _, err := Score(context.Background(), Input{Records: FileSource(filepath.Join(t.TempDir(), "missing"))}, Options{}); err == nil {
		t.Error("missing records file: want an error")
	}
}
