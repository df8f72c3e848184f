package faultapp

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"

	"github.com/coalmine/coalmine/faults"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Options configure a Server.
type Options struct {
	// Version is the app version: the X-Coalmine-Version header and the
	// version metric label. Required.
	Version string
	// Faults are the initial faults (nil: none). They are defaulted and
	// validated.
	Faults *faults.Faults
	// Seed seeds the fault decisions.
	Seed uint64
	// Clock is the time source of fault decisions. Default SystemClock().
	Clock Clock
	// Registerer and Gatherer hold the metrics (typically one
	// *prometheus.Registry). Default: a new private registry.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	// Exit is called once when the crash fault fires. Default os.Exit.
	Exit func(code int)
	// Logger receives fault changes and crashes. Default: discard.
	Logger *slog.Logger
	// AdminToken is the bearer token of the admin API; empty turns every
	// admin request away with 401.
	AdminToken string
}

// Server is faultapp: the shop API with faults, probes, metrics and the
// admin API. It is safe for concurrent use.
type Server struct {
	opts    Options
	log     *slog.Logger
	decider *decider
	metrics *metrics
	catalog *catalog
	carts   *carts
	leak    leak
	orders  atomic.Uint64
	handler http.Handler

	mu         sync.Mutex // serializes SetFaults and the crash timer
	crashTimer Timer
	crashOnce  sync.Once
}

// New builds a Server; the process-start instant of every `after` is now.
func New(opts Options) (*Server, error) {
	if opts.Version == "" {
		return nil, fmt.Errorf("faultapp: version is required")
	}
	opts = withDefaults(opts)
	f := opts.Faults.Clone()
	if f == nil {
		f = &faults.Faults{}
	}
	f.Default()
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("faultapp: %w", err)
	}
	s := &Server{opts: opts, log: opts.Logger, catalog: newCatalog(CatalogSize), carts: newCarts()}
	s.decider = newDecider(opts.Clock, opts.Seed, f)
	m, err := newMetrics(opts.Registerer, opts.Version,
		func() float64 { return float64(s.leak.bytes()) },
		func() float64 { return boolFloat(s.decider.ready()) })
	if err != nil {
		return nil, err
	}
	s.metrics = m
	s.handler = withVersion(opts.Version, s.routes())
	s.scheduleCrash(f.Crash)
	return s, nil
}

func withDefaults(o Options) Options {
	if o.Clock == nil {
		o.Clock = SystemClock()
	}
	if o.Registerer == nil && o.Gatherer == nil {
		reg := prometheus.NewRegistry()
		o.Registerer, o.Gatherer = reg, reg
	}
	if o.Exit == nil {
		o.Exit = os.Exit
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// routes wires the API (instrumented, with faults), probes and metrics.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(method, route string, h http.HandlerFunc) {
		id, _ := routeID(route)
		mux.Handle(method+" "+route, s.metrics.instrument(method, route, s.inject(id, h)))
	}
	api(http.MethodGet, RouteCatalog, s.handleCatalog)
	api(http.MethodGet, RouteSearch, s.handleSearch)
	api(http.MethodGet, RouteCart, s.handleGetCart)
	api(http.MethodPost, RouteCart, s.handlePostCart)
	api(http.MethodPost, RouteCheckout, s.handleCheckout)
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.opts.Gatherer, promhttp.HandlerOpts{}))
	return mux
}

// Handler returns the main HTTP handler (API, probes, /metrics).
func (s *Server) Handler() http.Handler { return s.handler }

// Faults returns a copy of the live faults.
func (s *Server) Faults() *faults.Faults { return s.decider.faults().Clone() }

// SetFaults atomically replaces the live faults (defaulted and validated
// first; on error nothing changes). Onsets stay measured from process start.
func (s *Server) SetFaults(f *faults.Faults) error {
	f = f.Clone()
	if f == nil {
		f = &faults.Faults{}
	}
	f.Default()
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.decider.setFaults(f)
	s.scheduleCrashLocked(f.Crash)
	return nil
}

// Ready reports whether /readyz currently succeeds.
func (s *Server) Ready() bool { return s.decider.ready() }

// LeakedBytes returns the bytes the leak fault has retained.
func (s *Server) LeakedBytes() int64 { return s.leak.bytes() }

// Close stops the crash timer. It does not stop serving.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scheduleCrashLocked(nil)
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
