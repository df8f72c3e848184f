package loadgen

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// benchRecords returns n realistic records: default mix endpoints, 1000
// users, two versions, 1 % errors, 5 k req/s.
func benchRecords(n int) []Record {
	users, _ := NewUsers(DefaultPopulation(), 1)
	mix := DefaultMix()
	t0 := time.Unix(1_700_000_000, 0).UTC()
	recs := make([]Record, n)
	for i := range recs {
		r := Record{Start: t0.Add(time.Duration(i) * 200 * time.Microsecond), Endpoint: mix[i%len(mix)].Name,
			User: users.Draw(float64(i*7919%1000) / 1000), Status: 200,
			Latency: time.Duration(300+i*37%5000) * time.Microsecond, Version: "v1"}
		if i%10 == 3 {
			r.Version = "v2"
		}
		if i%100 == 42 {
			r.Status, r.Error = 500, "500 Internal Server Error"
		}
		recs[i] = r
	}
	return recs
}

// BenchmarkRecordWrite is the recorder's cost per request.
func BenchmarkRecordWrite(b *testing.B) {
	recs := benchRecords(4096)
	w := NewRecordWriter(io.Discard)
	b.ReportAllocs()
	cpu := cpuTime()
	i := 0
	for b.Loop() {
		if err := w.Write(&recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(i), "cpu_ns/op")
}

// BenchmarkRecordPipeline is everything `coalmine load` does per request
// after the response: write, per-second aggregate, summary, live stats.
func BenchmarkRecordPipeline(b *testing.B) {
	recs := benchRecords(4096)
	w := NewRecordWriter(io.Discard)
	agg, sum, live := NewAggregator(0), NewSummaryBuilder(), NewLiveStats()
	b.ReportAllocs()
	cpu := cpuTime()
	i := 0
	for b.Loop() {
		r := &recs[i%len(recs)]
		if err := w.Write(r); err != nil {
			b.Fatal(err)
		}
		agg.Observe(r)
		sum.Observe(r)
		live.Observe(r)
		i++
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(i), "cpu_ns/op")
}

// BenchmarkReadRecords is ReadRecords' throughput on a 1 M record file.
func BenchmarkReadRecords(b *testing.B) {
	var buf bytes.Buffer
	w := NewRecordWriter(&buf)
	for _, r := range benchRecords(1 << 20) {
		_ = w.Write(&r)
	}
	_ = w.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var n int
	cpu := cpuTime()
	for b.Loop() {
		if err := ReadRecords(bytes.NewReader(data), func(*Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(n)/(cpuTime()-cpu).Seconds(), "records/cpu-s")
	b.ReportMetric(float64(len(data))/float64(1<<20), "bytes/record")
}
