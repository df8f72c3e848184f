package loadgen

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkAttack runs real, bounded attacks (≤ 60 s each) and reports the
// achieved rate and the per-second rate error against the pacer's curve,
// computed from the recorded file. The target is $COALMINE_BENCH_TARGET
// (e.g. faultapp pinned to another core with taskset), else an in-process
// server sharing the attacker's CPU. Run one case at a time, e.g.
//
//	go test -c -o /tmp/loadgen.test ./loadgen
//	COALMINE_BENCH_TARGET=http://127.0.0.1:18080 taskset -c 0 env GOMAXPROCS=1 \
//	  /tmp/loadgen.test -test.run '^$' -test.bench 'Attack/constant-5000' -test.benchtime 1x
func BenchmarkAttack(b *testing.B) {
	cases := []struct {
		name     string
		pacer    Pacer
		duration time.Duration
	}{
		{"constant-1000", Constant{RPS: 1000}, 10 * time.Second},
		{"constant-5000", Constant{RPS: 5000}, 10 * time.Second},
		{"constant-max", Constant{RPS: 30000}, 5 * time.Second},
		{"diurnal-100-1000-day60s", Diurnal{TroughRPS: 100, PeakRPS: 1000, Day: time.Minute, PeakHour: 12}, time.Minute},
	}
	target := os.Getenv("COALMINE_BENCH_TARGET")
	if target == "" {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Coalmine-Version", "bench")
		}))
		defer srv.Close()
		target = srv.URL
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				benchAttack(b, target, c.pacer, c.duration)
			}
		})
	}
}

func benchAttack(b *testing.B, target string, p Pacer, d time.Duration) {
	path := filepath.Join(b.TempDir(), "records.tsv")
	rec, err := CreateRecorder(path, 0)
	if err != nil {
		b.Fatal(err)
	}
	sum, agg, live := NewSummaryBuilder(), NewAggregator(0), NewLiveStats()
	cpu := cpuTime()
	res, err := Attack(context.Background(), AttackConfig{Target: target, Pacer: p, Duration: d, Seed: 1},
		func(r *Record) error { sum.Observe(r); agg.Observe(r); live.Observe(r); return rec.Write(r) })
	if err != nil {
		b.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		b.Fatal(err)
	}
	cpuPerReq := float64(cpuTime()-cpu) / 1e3 / float64(max(res.Requests, 1))
	counts := countPerSecond(b, path, res.Began, d)
	maxErr, meanErr := rateErrors(p, counts)
	s := sum.Summary()
	b.ReportMetric(s.AchievedRPS, "achieved_rps")
	b.ReportMetric(float64(s.Requests), "requests")
	b.ReportMetric(float64(res.Skipped), "skipped")
	b.ReportMetric(float64(s.Errors), "errors")
	b.ReportMetric(100*maxErr, "max_sec_err_%")
	b.ReportMetric(100*meanErr, "mean_sec_err_%")
	b.ReportMetric(s.Latency.P99, "p99_ms")
	b.ReportMetric(cpuPerReq, "cpu_us/req")
}

// countPerSecond reads the records file back and counts requests per
// second of the attack (by start time).
func countPerSecond(b *testing.B, path string, began time.Time, d time.Duration) []int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	counts := make([]int, int(d/time.Second))
	err = ReadRecords(f, func(r *Record) error {
		if s := int(r.Start.Sub(began) / time.Second); s >= 0 && s < len(counts) {
			counts[s]++
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return counts
}

// rateErrors compares per-second counts with ∫ rate over each second.
func rateErrors(p Pacer, counts []int) (maxErr, meanErr float64) {
	for s, n := range counts {
		want := p.Hits(time.Duration(s+1)*time.Second) - p.Hits(time.Duration(s)*time.Second)
		e := math.Abs(float64(n)-want) / want
		maxErr = max(maxErr, e)
		meanErr += e / float64(len(counts))
	}
	return maxErr, meanErr
}
