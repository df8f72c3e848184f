package run

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
	"go.yaml.in/yaml/v3"
)

// serveFaultapp runs a real faultapp (version v1, 10 % errors) on
// 127.0.0.1 and returns its port: the traffic entry of the tests.
func serveFaultapp(t *testing.T) int {
	t.Helper()
	srv, err := faultapp.New(faultapp.Options{Version: "v1", Seed: 1, Faults: &faults.Faults{Errors: &faults.ErrorFault{Rate: 0.1}}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// testScenario is a short scenario: a 6 s day, constant 100 rps, then
// v2 (bad) and v3 (good), each right after the previous one settles.
func testScenario(t *testing.T, releaseTimeout time.Duration) *scenarios.Scenario {
	t.Helper()
	st, err := scenarios.LoadStrategy("classic-steps")
	if err != nil {
		t.Fatal(err)
	}
	bad := fault(t, "errors: {rate: 0.5}")
	s := &scenarios.Scenario{
		APIVersion: scenarios.APIVersion, Kind: scenarios.Kind,
		Metadata: scenarios.Metadata{Name: "engine-test"},
		Spec: scenarios.Spec{
			Traffic:        scenarios.Traffic{Profile: scenarios.ProfileConstant, RPS: 100, DayLength: scenarios.D(6 * time.Second), Workers: 8},
			App:            scenarios.App{Replicas: 5, Baseline: fault(t, "errors: {rate: 0.001}")},
			Releases:       []scenarios.Release{{Version: "v2", Fault: bad}, {Version: "v3"}},
			Strategies:     []string{"classic-steps"},
			Warmup:         scenarios.D(300 * time.Millisecond),
			Cooldown:       scenarios.D(200 * time.Millisecond),
			ReleaseTimeout: scenarios.D(releaseTimeout),
			Expectations:   []scenarios.Expectation{{Strategy: "classic-steps", Release: "v2", Caught: ptr(true)}},
		},
		Source:     "test",
		Strategies: []*scenarios.Strategy{st},
	}
	scenarios.SetDefaults(s)
	return s
}

func ptr[T any](v T) *T { return &v }

func testOptions(t *testing.T, s *scenarios.Scenario, api kubeAPI) Options {
	return Options{
		Scenario: s, Image: "coalmine/faultapp:dev", OutDir: t.TempDir(), Seed: 7, RunID: "t1",
		Cluster: Cluster{Entries: []Entry{{NodePort: 30080, HostPort: serveFaultapp(t)}},
			Environment: results.Environment{Kind: "test"}},
		api: api,
	}
}

func timelineKinds(tl []results.Event, release int) []string {
	var out []string
	for _, e := range tl {
		if e.Release == release && e.Kind != results.EventK8sEvent && e.Kind != results.EventStep && e.Kind != results.EventWeight {
			out = append(out, string(e.Kind))
		}
	}
	return out
}

func TestRunOrchestratesReleases(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fc := newFakeCluster(map[string]string{"v2": "abort", "v3": "promote"})
	o := testOptions(t, testScenario(t, 10*time.Second), fc)
	var progress bytes.Buffer
	o.Progress = &progress
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.Complete || len(res.Strategies) != 1 {
		t.Fatalf("complete %v (%s), %d strategies", res.Complete, res.IncompleteReason, len(res.Strategies))
	}
	ns := "coalmine-classic-steps-t1"
	wantApplied := []string{
		" Namespace/" + ns + " ", ns + " Service/faultapp ", ns + " AnalysisTemplate/success-rate ",
		ns + " Rollout/faultapp v1", ns + " Rollout/faultapp v2", ns + " Rollout/faultapp v3",
	}
	if got := fc.appliedList(); strings.Join(got, "\n") != strings.Join(wantApplied, "\n") {
		t.Errorf("applied:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantApplied, "\n"))
	}
	if got := fc.deletedList(); len(got) != 1 || got[0] != ns {
		t.Errorf("deleted namespaces %v, want [%s]", got, ns)
	}
	if fc.scrape != 2*time.Second {
		t.Errorf("scrape interval set to %s, want the scenario's 2s", fc.scrape)
	}
	sr := res.Strategies[0]
	for rel, want := range map[int]string{
		1: "released fault-onset aborted restored",
		2: "released promoted traffic-stop",
	} {
		if got := strings.Join(timelineKinds(sr.Timeline, rel), " "); got != want {
			t.Errorf("release %d timeline: %s, want %s", rel, got, want)
		}
	}
	if len(sr.Releases) != 2 || sr.Releases[0].Scores.Outcome != results.OutcomeCaught || sr.Releases[1].Scores.Outcome != results.OutcomePromoted {
		t.Errorf("release results %+v", sr.Releases)
	}
	if sr.Releases[0].Scores.TimeToDetectSeconds == nil {
		t.Error("caught release without a time to detect")
	}
	if len(sr.Releases[0].Expectations) == 0 || !sr.Releases[0].Expectations[0].Passed {
		t.Errorf("expectation verdicts %+v", sr.Releases[0].Expectations)
	}
	if len(sr.Series) == 0 {
		t.Error("no per-second series")
	}
	var sent int
	for _, sec := range sr.Series {
		sent += sec.Requests
	}
	if sr.Traffic == nil || sr.Traffic.Requests == 0 || int(sr.Traffic.Requests) != sent || sr.Traffic.Stop != "canceled" {
		t.Errorf("traffic summary %+v; want %d requests (the series' sum), stopped by the run", sr.Traffic, sent)
	}
	onDisk, err := results.Read(o.OutDir)
	if err != nil {
		t.Fatal(err)
	}
	if onDisk.Seed != 7 || onDisk.Scenario.YAML == "" || onDisk.Strategies[0].StrategyYAML == "" || onDisk.Components["faultapp"] == "" {
		t.Errorf("results.json lacks provenance: seed %d, yaml %d bytes, strategy yaml %d bytes, components %v",
			onDisk.Seed, len(onDisk.Scenario.YAML), len(onDisk.Strategies[0].StrategyYAML), onDisk.Components)
	}
	for _, f := range []string{sr.RecordsFile, "report.html", "report.md", "junit.xml"} {
		if fi, err := os.Stat(filepath.Join(o.OutDir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(progress.String(), "**classic-steps** · release 1 `v2`") {
		t.Errorf("scoreboard missing from progress output:\n%s", progress.String())
	}
}

func TestRunReleaseTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fc := newFakeCluster(map[string]string{"v2": "hang", "v3": "promote"})
	s := testScenario(t, 300*time.Millisecond)
	res, err := Run(ctx, testOptions(t, s, fc))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	sr := res.Strategies[0]
	if got := strings.Join(timelineKinds(sr.Timeline, 1), " "); got != "released fault-onset timeout" {
		t.Errorf("release 1 timeline %q", got)
	}
	if sr.Releases[0].Scores.Outcome != results.OutcomeTimeout {
		t.Errorf("outcome %s, want timeout", sr.Releases[0].Scores.Outcome)
	}
	if sr.Releases[1].Scores.Outcome != results.OutcomePromoted {
		t.Errorf("release after a timeout: outcome %s, want promoted", sr.Releases[1].Scores.Outcome)
	}
}

func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	fc := newFakeCluster(map[string]string{"v2": "hang"})
	o := testOptions(t, testScenario(t, time.Hour), fc)
	go func() {
		// Interrupt once release v2 has been applied.
		for {
			for _, a := range fc.appliedList() {
				if strings.HasSuffix(a, "Rollout/faultapp v2") {
					cancel(errors.New("interrupt"))
					return
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	res, err := Run(ctx, o)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Run error %v, want ErrIncomplete", err)
	}
	if res.Complete || !strings.Contains(res.IncompleteReason, "interrupted") {
		t.Errorf("complete %v, reason %q", res.Complete, res.IncompleteReason)
	}
	if got := fc.deletedList(); len(got) != 1 {
		t.Errorf("namespaces deleted after interrupt: %v", got)
	}
	onDisk, err := results.Read(o.OutDir)
	if err != nil {
		t.Fatalf("results.json after interrupt: %v", err)
	}
	if onDisk.Complete || len(onDisk.Strategies) != 1 || onDisk.Strategies[0].Releases[0].Scores.CanaryRequests != 0 {
		t.Errorf("results on disk: complete %v, strategies %+v", onDisk.Complete, onDisk.Strategies)
	}
	if kinds := timelineKinds(onDisk.Strategies[0].Timeline, 1); !strings.Contains(strings.Join(kinds, " "), "traffic-stop") {
		t.Errorf("no traffic-stop after interrupt: %v", kinds)
	}
}

func TestRunWaitsForHeldNodePort(t *testing.T) {
	defer func(d time.Duration) { nodePortRetryEvery = d }(nodePortRetryEvery)
	nodePortRetryEvery = 10 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fc := newFakeCluster(map[string]string{"v2": "abort", "v3": "promote"})
	fc.portHeldFor = 3
	res, err := Run(ctx, testOptions(t, testScenario(t, 10*time.Second), fc))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.Complete || fc.portHeldFor != 0 {
		t.Errorf("complete %v (%s), %d failures left", res.Complete, res.IncompleteReason, fc.portHeldFor)
	}
}

// fault reads a scenario fault from YAML, as a scenario file would.
func fault(t *testing.T, y string) scenarios.Fault {
	t.Helper()
	var f scenarios.Fault
	if err := yaml.Unmarshal([]byte(y), &f); err != nil {
		t.Fatal(err)
	}
	return f
}
