package loadgen

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleRecords() []Record {
	t0 := time.Date(2024, 6, 10, 12, 0, 0, 123456789, time.UTC)
	return []Record{
		{Start: t0, Endpoint: "catalog", User: "u00042", Status: 200, Latency: 1234567 * time.Nanosecond, Version: "v1"},
		{Start: t0.Add(time.Millisecond), Endpoint: "checkout", User: "u00007", Status: 500, Latency: 3 * time.Millisecond, Version: "v2", Error: "500 Internal Server Error"},
		{Start: t0.Add(2 * time.Millisecond), Endpoint: "search", User: "u00001", Status: 0, Latency: 5 * time.Second, Error: "dial tcp: connection refused\n\tmore\\detail\r"},
		{Endpoint: "tab\there", User: "", Status: 204, Latency: 0, Version: "v\\1"},
		{Start: time.Unix(0, 0).UTC(), Endpoint: "epoch"},
		{Start: time.Unix(0, -1).UTC(), Endpoint: "before-epoch", Latency: -5},
	}
}

func writeAll(t testing.TB, recs []Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewRecordWriter(&buf)
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(t testing.TB, b []byte) []Record {
	t.Helper()
	var got []Record
	if err := ReadRecords(bytes.NewReader(b), func(r *Record) error {
		got = append(got, *r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func sameRecord(a, b Record) bool {
	return a.Start.Equal(b.Start) && a.Endpoint == b.Endpoint && a.User == b.User &&
		a.Status == b.Status && a.Latency == b.Latency && a.Version == b.Version && a.Error == b.Error
}

func TestRecordsRoundTrip(t *testing.T) {
	want := sampleRecords()
	data := writeAll(t, want)
	if !bytes.HasPrefix(data, []byte(recordsHeader)) {
		t.Fatalf("file does not start with the header: %q", data[:40])
	}
	if n := bytes.Count(data, []byte("\n")); n != len(want)+1 {
		t.Fatalf("%d lines, want %d (escaping must keep one record per line)", n, len(want)+1)
	}
	got := readAll(t, data)
	if len(got) != len(want) {
		t.Fatalf("read %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if !sameRecord(got[i], want[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestReadRecordsTornAndConcatenated(t *testing.T) {
	recs := sampleRecords()
	full := writeAll(t, recs)
	lastStart := bytes.LastIndexByte(full[:len(full)-1], '\n') + 1
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"empty", nil, 0},
		{"header only", []byte(recordsHeader), 0},
		{"torn header", []byte(recordsHeader[:10]), 0},
		{"complete", full, len(recs)},
		{"torn last line", full[:len(full)-1], len(recs) - 1},
		{"torn mid last line", full[:lastStart+5], len(recs) - 1},
		{"concatenated files", append(append([]byte{}, full...), full...), 2 * len(recs)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readAll(t, tt.data); len(got) != tt.want {
				t.Fatalf("read %d records, want %d", len(got), tt.want)
			}
		})
	}
}

func TestReadRecordsErrors(t *testing.T) {
	good := "1\tcatalog\tu1\t200\t5\tv1\t\n"
	tests := []struct {
		name, data, want string
	}{
		{"no header", good, "line 1: not a coalmine.dev/records/v1 header"},
		{"other version", "#coalmine.dev/records/v9\tx\n" + good, "line 1: not a"},
		{"too few fields", recordsHeader + "1\tcatalog\t200\n", "line 2: want 7"},
		{"too many fields", recordsHeader + "1\tcatalog\tu1\t200\t5\tv1\t\textra\n", "line 2: want 7"},
		{"bad status", recordsHeader + good + "1\tcatalog\tu1\tOK\t5\tv1\t\n", "line 3: bad status"},
		{"bad start", recordsHeader + "1x\tcatalog\tu1\t200\t5\tv1\t\n", "line 2: bad start_unix_ns"},
		{"bad latency", recordsHeader + "1\tcatalog\tu1\t200\t\tv1\t\n", "line 2: bad latency_ns"},
		{"bad escape", recordsHeader + "1\tcatalog\tu1\t200\t5\tv1\toops\\x\n", "line 2: unknown escape"},
		{"overflow", recordsHeader + "99999999999999999999\tcatalog\tu1\t200\t5\tv1\t\n", "line 2: bad start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadRecords(strings.NewReader(tt.data), func(*Record) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestReadRecordsStopsOnCallbackError(t *testing.T) {
	data := writeAll(t, sampleRecords())
	stop := errors.New("enough")
	n := 0
	err := ReadRecords(bytes.NewReader(data), func(*Record) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Fatalf("err = %v after %d calls, want %v after 2", err, n, stop)
	}
}

func TestReadRecordsLongLine(t *testing.T) {
	long := strings.Repeat("e", 3*readerBufferSize)
	recs := []Record{{Endpoint: "a", Error: long}, {Endpoint: "b", Status: 200}}
	got := readAll(t, writeAll(t, recs))
	if len(got) != 2 || got[0].Error != long || got[1].Endpoint != "b" {
		t.Fatalf("long line not read back: %d records", len(got))
	}
}

func TestRecordWriterHeaderOnFlushAndCount(t *testing.T) {
	var buf bytes.Buffer
	w := NewRecordWriter(&buf)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != recordsHeader {
		t.Fatalf("empty flush wrote %q, want the header", buf.String())
	}
	r := sampleRecords()[0]
	for range 3 {
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if w.Count() != 3 {
		t.Fatalf("Count = %d, want 3", w.Count())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRecordWriterStickyError(t *testing.T) {
	w := NewRecordWriter(failWriter{})
	r := sampleRecords()[0]
	_ = w.Write(&r)
	if err := w.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Flush err = %v, want disk full", err)
	}
	if err := w.Write(&r); err == nil {
		t.Fatal("Write after a failed flush succeeded")
	}
}
