package faultapp

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Fault kinds, the kind label of faultapp_faults_injected_total.
const (
	KindError   = "error"
	KindLatency = "latency"
	KindCPU     = "cpu"
	KindLeak    = "leak"
	KindCrash   = "crash"
)

// Metric and label names faultapp exports: strategies query them, the
// simulator synthesises them.
const (
	MetricRequestDuration = "http_request_duration_seconds"
	MetricInFlight        = "http_requests_in_flight"
	MetricFaultsInjected  = "faultapp_faults_injected_total"
	MetricInfo            = "faultapp_info"
	MetricLeakedBytes     = "faultapp_leaked_bytes"
	MetricReady           = "faultapp_ready"

	LabelMethod     = "method"
	LabelPath       = "path"
	LabelStatusCode = "status_code"
	LabelVersion    = "version"
	LabelKind       = "kind"
)

// Target labels coalmine's Prometheus attaches to every series of a
// faultapp pod (harness/addons relabels the pod's metadata to them), and
// the job of faultapp's targets.
const (
	TargetLabelNamespace = "namespace"
	TargetLabelPod       = "pod"
	TargetLabelHash      = "rollouts_pod_template_hash"
	Job                  = "faultapp"
)

// DurationBuckets are the buckets of http_request_duration_seconds.
var DurationBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// metrics are faultapp's Prometheus metrics.
type metrics struct {
	version  string
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	injected map[string]prometheus.Counter
}

// newMetrics registers faultapp's metrics on reg. leaked and ready feed
// the faultapp_leaked_bytes and faultapp_ready gauges.
func newMetrics(reg prometheus.Registerer, version string, leaked, ready func() float64) (*metrics, error) {
	m := &metrics{
		version: version,
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricRequestDuration,
			Help:    "Duration of API requests by method, route template, status code and app version.",
			Buckets: DurationBuckets,
		}, []string{LabelMethod, LabelPath, LabelStatusCode, LabelVersion}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricInFlight, Help: "API requests being served.",
		}),
		injected: map[string]prometheus.Counter{},
	}
	injected := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricFaultsInjected, Help: "Faults injected into API requests, by kind.",
	}, []string{LabelKind})
	for _, k := range []string{KindError, KindLatency, KindCPU, KindLeak, KindCrash} {
		m.injected[k] = injected.WithLabelValues(k)
	}
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: MetricInfo, Help: "Always 1; the version label is the running app version.",
	}, []string{LabelVersion})
	info.WithLabelValues(version).Set(1)
	collectors := []prometheus.Collector{m.duration, m.inFlight, injected, info,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: MetricLeakedBytes, Help: "Bytes retained by the leak fault.",
		}, leaked),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: MetricReady, Help: "1 when /readyz succeeds, 0 when the readiness fault fails it.",
		}, ready),
	}
	for _, c := range collectors {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register faultapp metrics: %w", err)
		}
	}
	return m, nil
}

// instrument observes every request to an API route in the duration
// histogram (with its real status, injected errors included) and the
// in-flight gauge.
func (m *metrics) instrument(method, route string, next http.Handler) http.Handler {
	obs := m.duration.MustCurryWith(prometheus.Labels{"method": method, "path": route, "version": m.version})
	return promhttp.InstrumentHandlerInFlight(m.inFlight, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		obs.WithLabelValues(strconv.Itoa(sw.status())).Observe(time.Since(start).Seconds())
	}))
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}
