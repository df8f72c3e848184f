package faultapp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// started is a Run in the background.
type started struct {
	log  *syncBuffer
	done chan error
	stop context.CancelFunc
}

func startRun(t *testing.T, args []string, vars map[string]string, stdin io.Reader) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &started{log: &syncBuffer{}, done: make(chan error, 1), stop: cancel}
	go func() { s.done <- run(ctx, args, env(vars), stdin, io.Discard, s.log) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return s
}

// addr waits for the "listening" log line of server name.
func (s *started) addr(t *testing.T, name string) string {
	t.Helper()
	re := regexp.MustCompile(`msg=listening server=` + name + ` addr=(\S+)`)
	var m []string
	eventually(t, name+" listening", func() bool { m = re.FindStringSubmatch(s.log.String()); return m != nil })
	return "http://" + m[1]
}

func (s *started) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // for Cleanup
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunServesAndShutsDown(t *testing.T) {
	s := startRun(t, []string{"--listen", "127.0.0.1:0", "--seed", "1"},
		map[string]string{"VERSION": "v3", "FAULTS": `{"errors": {"rate": 1, "status": 418, "paths": ["/api/cart"]}}`}, nil)
	base := s.addr(t, "api")
	for path, want := range map[string]int{"/api/catalog": 200, "/api/cart": 418, "/readyz": 200} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || resp.Header.Get(VersionHeader) != "v3" {
			t.Errorf("%s: %d version %q, want %d v3", path, resp.StatusCode, resp.Header.Get(VersionHeader), want)
		}
	}
	if strings.Contains(s.log.String(), "server=admin") {
		t.Error("admin API started without a token")
	}
	s.stop()
	if err := s.wait(t); err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if !strings.Contains(s.log.String(), "faultapp stopped") {
		t.Errorf("no stop log:\n%s", s.log)
	}
}

func TestRunCrashReturnsExitError(t *testing.T) {
	s := startRun(t, []string{"--listen", "127.0.0.1:0"}, map[string]string{"FAULTS": "crash: {requests: 3, exitCode: 9}"}, nil)
	base := s.addr(t, "api")
	for range 3 {
		if resp, err := http.Get(base + RouteSearch); err == nil {
			resp.Body.Close()
		}
	}
	var exit *ExitError
	if err := s.wait(t); !errors.As(err, &exit) || exit.Code != 9 {
		t.Fatalf("Run returned %v, want exit code 9", err)
	}
}

func TestRunFaultsFromStdinAndAdmin(t *testing.T) {
	s := startRun(t, []string{"--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--faults", "-"},
		map[string]string{"ADMIN_TOKEN": "tok"}, strings.NewReader("errors:\n  rate: 1\n"))
	base, admin := s.addr(t, "api"), s.addr(t, "admin")
	get := func() int {
		resp, err := http.Get(base + RouteCatalog)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(); code != 500 {
		t.Fatalf("status %d with faults from stdin, want 500", code)
	}
	req, _ := http.NewRequest("PUT", admin+"/admin/faults", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || get() != 200 {
		t.Fatalf("PUT {} status %d; API should now succeed", resp.StatusCode)
	}
}

func TestRunConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "faults.yaml")
	if err := os.WriteFile(bad, []byte("errors:\n  rat: 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string
	}{
		{"bad seed flag", []string{"--seed", "-1"}, nil, `seed "-1": want an unsigned integer`},
		{"bad SEED", nil, map[string]string{"SEED": "x"}, `seed "x"`},
		{"both faults envs", nil, map[string]string{"FAULTS": "{}", "FAULTS_FILE": bad}, "set FAULTS or FAULTS_FILE, not both"},
		{"faults file problem names file and line", []string{"--faults", bad}, nil, bad + ":2: errors.rat: unknown field"},
		{"FAULTS_FILE problem", nil, map[string]string{"FAULTS_FILE": bad}, bad + ":2: errors.rat"},
		{"FAULTS problem", nil, map[string]string{"FAULTS": "cpu: {perRequest: 0s}"}, "$FAULTS:1: cpu.perRequest: must be in (0, 10s]"},
		{"missing file", []string{"--faults", filepath.Join(dir, "nope.yaml")}, nil, "read faults:"},
		{"extra argument", []string{"serve"}, nil, "unexpected arguments"},
		{"unknown flag", []string{"--colour"}, nil, "flag provided but not defined"},
		{"bad listen address", []string{"--listen", "nonsense"}, nil, "listen api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, env(tt.vars), nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, env(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"-listen", "-version", "-faults", "-admin-listen", "-admin-token", "-seed"} {
		if !strings.Contains(out.String(), flag) {
			t.Errorf("usage lacks %s", flag)
		}
	}
}

func TestFlagsWinOverEnv(t *testing.T) {
	vars := map[string]string{"LISTEN": ":1", "VERSION": "env", "ADMIN_LISTEN": ":2", "ADMIN_TOKEN": "e", "SEED": "5"}
	tests := []struct {
		name string
		args []string
		want config
	}{
		{"env only", nil, config{listen: ":1", version: "env", adminListen: ":2", adminToken: "e", seed: 5, seedSet: true}},
		{"flags", []string{"--listen", ":3", "--version", "flag", "--admin-listen", ":4", "--admin-token", "f", "--seed", "6"},
			config{listen: ":3", version: "flag", adminListen: ":4", adminToken: "f", seed: 6, seedSet: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, env(vars), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			c.shutdownTimeout = 0
			if *c != tt.want {
				t.Fatalf("got %+v, want %+v", *c, tt.want)
			}
		})
	}
	c, err := parseConfig(nil, env(nil), io.Discard)
	if err != nil || c.listen != ":8080" || c.version != "dev" || c.adminListen != ":8081" || c.seedSet {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}
