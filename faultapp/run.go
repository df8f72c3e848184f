package faultapp

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/coalmine/coalmine/faults"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// ExitError is returned by Run when the crash fault fired: the process
// must exit with Code (cmd/faultapp does).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("crash fault: exit code %d", e.Code) }

// Run is faultapp's main: it reads flags and environment (see
// parseConfig), serves the API (and the admin API when a token is set)
// until ctx ends, then shuts down gracefully. When the crash fault fires
// it closes every connection at once and returns an *ExitError.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return run(ctx, args, getenv, os.Stdin, stdout, stderr)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	fs, err := cfg.loadFaults(stdin)
	if err != nil {
		return err
	}
	if !cfg.seedSet {
		cfg.seed = randomSeed()
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var exitCode atomic.Int32
	srv, err := newProcessServer(cfg, fs, log, func(code int) { exitCode.Store(int32(code)); cancel() })
	if err != nil {
		return err
	}
	defer srv.Close()
	servers, err := listenAll(ctx, cfg, srv, log)
	if err != nil {
		return err
	}
	enc, _ := faults.Encode(fs)
	log.Info("faultapp started", "version", cfg.version, "seed", cfg.seed, "faults", string(enc))
	err = serveAll(ctx, servers)
	if code := exitCode.Load(); code != 0 {
		closeAll(servers)
		return &ExitError{Code: int(code)}
	}
	if serr := shutdownAll(ctx, servers, cfg.shutdownTimeout); err == nil {
		err = serr
	}
	log.Info("faultapp stopped")
	return err
}

// newProcessServer builds the Server with a registry holding the Go and
// process collectors too (memory growth under the leak fault shows there).
func newProcessServer(cfg *config, fs *faults.Faults, log *slog.Logger, exit func(int)) (*Server, error) {
	reg := prometheus.NewRegistry()
	for _, c := range []prometheus.Collector{collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register collectors: %w", err)
		}
	}
	return New(Options{
		Version: cfg.version, Faults: fs, Seed: cfg.seed, Registerer: reg, Gatherer: reg,
		Exit: exit, Logger: log, AdminToken: cfg.adminToken,
	})
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return binary.LittleEndian.Uint64(b[:])
}

// served is one listener and the http.Server on it.
type served struct {
	name string
	hs   *http.Server
	ln   net.Listener
}

// listenAll opens the API listener and, when a token is set, the admin one.
func listenAll(ctx context.Context, cfg *config, srv *Server, log *slog.Logger) ([]served, error) {
	type endpoint struct {
		name, addr string
		h          http.Handler
	}
	want := []endpoint{{"api", cfg.listen, srv.Handler()}}
	if cfg.adminToken != "" {
		want = append(want, endpoint{"admin", cfg.adminListen, srv.AdminHandler()})
	} else {
		log.Info("admin API off (no admin token)")
	}
	var out []served
	for _, w := range want {
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", w.addr)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("listen %s: %w", w.name, err)
		}
		hs := &http.Server{Handler: w.h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		out = append(out, served{name: w.name, hs: hs, ln: ln})
		log.Info("listening", "server", w.name, "addr", ln.Addr().String())
	}
	return out, nil
}

// serveAll serves until ctx ends or a server fails.
func serveAll(ctx context.Context, servers []served) error {
	errc := make(chan error, len(servers))
	for _, s := range servers {
		go func() {
			if err := s.hs.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("serve %s: %w", s.name, err)
			}
		}()
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

func shutdownAll(ctx context.Context, servers []served, timeout time.Duration) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.hs.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown %s: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

func closeAll(servers []served) {
	for _, s := range servers {
		_ = s.hs.Close()
		_ = s.ln.Close()
	}
}
