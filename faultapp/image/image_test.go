package image_test

import (
	"context"
	"debug/elf"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/coalmine/coalmine/faultapp/image"
)

func TestBuildContext(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ctx")
	if err := image.BuildContext(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	df, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil || string(df) != string(faultapp.Dockerfile()) {
		t.Fatalf("Dockerfile in context differs from faultapp/Dockerfile: %v", err)
	}
	bin, err := elf.Open(filepath.Join(dir, image.Binary))
	if err != nil {
		t.Fatalf("binary: %v", err)
	}
	defer bin.Close()
	if bin.Section(".interp") != nil {
		t.Error("binary has an ELF interpreter: not static")
	}
	if libs, _ := bin.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary links %v: not static", libs)
	}
	if bin.Section(".symtab") != nil {
		t.Error("binary keeps its symbol table: -s missing")
	}
}

// TestImage builds the image from faultapp/Dockerfile with the context
// BuildContext makes, runs it with a 30 % error fault and drives real
// requests at it.
func TestImage(t *testing.T) {
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true") // the reaper image cannot be pulled here
	// The published port is reached on 127.0.0.1, as every request of the
	// test is. Without the override testcontainers guesses the host: where
	// /.dockerenv exists (a VM built from an image, a CI container) it uses
	// the default bridge's gateway, which is no address of this test.
	t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	skipWithoutDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	if err := image.BuildContext(ctx, dir); err != nil {
		t.Fatal(err)
	}
	ctr, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			FromDockerfile: testcontainers.FromDockerfile{
				Context: dir, Repo: "coalmine/faultapp-test", Tag: fmt.Sprintf("it-%d", time.Now().UnixNano()),
			},
			ExposedPorts: []string{"8080/tcp"},
			Env:          map[string]string{"VERSION": "it1", "SEED": "7", "FAULTS": `{"errors": {"rate": 0.3, "paths": ["/api/catalog"]}}`},
			WaitingFor:   wait.ForHTTP("/readyz").WithPort("8080/tcp").WithStartupTimeout(time.Minute),
		},
		Started: true,
	})
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("start container: %v", err)
	}
	port, err := ctr.MappedPort(ctx, "8080/tcp")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://127.0.0.1:" + port.Port()

	failed := driveCatalog(t, base, 400)
	assertShare(t, failed, 400, 0.3)
	assertMetrics(t, base, failed)
	assertStopsGracefully(t, ctx, ctr)
}

// driveCatalog sends n GET /api/catalog and returns how many got 500.
func driveCatalog(t *testing.T, base string, n int) int {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	failed := 0
	for i := range n {
		req, _ := http.NewRequest("GET", base+faultapp.RouteCatalog, nil)
		req.Header.Set(faultapp.UserHeader, fmt.Sprintf("user-%d", i%50))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if v := resp.Header.Get(faultapp.VersionHeader); v != "it1" {
			t.Fatalf("request %d: %s = %q, want it1", i, faultapp.VersionHeader, v)
		}
		switch resp.StatusCode {
		case http.StatusOK:
		case http.StatusInternalServerError:
			failed++
		default:
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
	}
	return failed
}

func assertShare(t *testing.T, hits, n int, p float64) {
	t.Helper()
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if math.Abs(float64(hits)-float64(n)*p) > 4*sd {
		t.Errorf("%d of %d failed, want %.0f ± 4σ (σ = %.1f)", hits, n, float64(n)*p, sd)
	}
}

// assertMetrics checks that /metrics counted the injected errors with
// their real status and the version label.
func assertMetrics(t *testing.T, base string, failed int) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	re := regexp.MustCompile(`(?m)^http_request_duration_seconds_count\{method="GET",path="/api/catalog",status_code="500",version="it1"\} (\d+)$`)
	m := re.FindSubmatch(body)
	if m == nil {
		t.Fatalf("/metrics lacks the 500 series of version it1:\n%s", body)
	}
	if n, _ := strconv.Atoi(string(m[1])); n != failed {
		t.Errorf("metrics count %d failed requests, the client saw %d", n, failed)
	}
}

// assertStopsGracefully stops the container (SIGTERM) and expects exit 0.
func assertStopsGracefully(t *testing.T, ctx context.Context, ctr testcontainers.Container) {
	t.Helper()
	info, err := ctr.Inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.User != "65532:65532" {
		t.Errorf("container user %q, want 65532:65532", info.Config.User)
	}
	timeout := 10 * time.Second
	if err := ctr.Stop(ctx, &timeout); err != nil {
		t.Fatalf("stop: %v", err)
	}
	state, err := ctr.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.ExitCode != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", state.ExitCode)
	}
}

// skipWithoutDocker skips only when no Docker engine answers.
func skipWithoutDocker(t *testing.T) {
	t.Helper()
	provider, err := testcontainers.ProviderDocker.GetProvider()
	if err == nil {
		defer provider.Close()
		err = provider.Health(context.Background())
	}
	if err != nil {
		t.Skipf("SKIP: no Docker engine answers (%v); this integration test needs Docker", err)
	}
}
