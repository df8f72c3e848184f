package loadgen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRecorderFlushesPeriodically: records reach the file while the
// recorder is open, without Close.
func TestRecorderFlushesPeriodically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.tsv")
	r, err := CreateRecorder(path, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs := sampleRecords()
	for i := range recs {
		if err := r.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Count(data, []byte("\n")) == len(recs)+1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("records not flushed to the file: %q", data)
		case <-tick.C:
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	n := 0
	if err := ReadRecordsFile(path, func(*Record) error { n++; return nil }); err != nil || n != len(recs) {
		t.Fatalf("%d records after Close (%v), want %d", n, err, len(recs))
	}
	if err := ReadRecordsFile(path+".missing", func(*Record) error { return nil }); err == nil {
		t.Fatal("read a missing file")
	}
}

func TestCreateRecorderError(t *testing.T) {
	if _, err := CreateRecorder(filepath.Join(t.TempDir(), "missing", "r.tsv"), 0); err == nil {
		t.Fatal("created a recorder in a missing directory")
	}
}
