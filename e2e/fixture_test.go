//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/coalmine/coalmine/cmd/coalmine/app"
	"github.com/coalmine/coalmine/harness/deploy"
	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

// fixture is one spec's handle on the cluster, in the style of Argo
// Rollouts' test/fixtures: the spec's artifacts directory and the runs it
// started. newFixture registers the cleanup: on failure the cluster state
// is dumped first, then every namespace of the spec's runs is deleted by
// its coalmine.dev/run label.
type fixture struct {
	name string // slug of the spec's full text
	dir  string // $ARTIFACTS/<name>
	// before are the coalmine namespaces that existed when the spec began
	// (to find a run's namespaces when the CLI cannot be given a run id).
	before map[string]bool

	mu   sync.Mutex
	runs []*scenarioRun
}

// scenarioRun is one `coalmine run` of a spec.
type scenarioRun struct {
	f          *fixture
	scenario   string
	strategies []string // the strategies the run deploys
	out        string   // --out
	started    time.Time
	finished   chan struct{} // closed when app.Run has returned
	err        error         // app.Run's error, once finished

	mu sync.Mutex
	id string // coalmine.dev/run; "" until known
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string, max int) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > max {
		s = strings.Trim(s[:max], "-")
	}
	return s
}

// newFixture starts a spec: its artifacts directory, the namespaces that
// exist now, and its cleanup.
func newFixture(ctx context.Context) *fixture {
	name := slug(CurrentSpecReport().FullText(), 80)
	f := &fixture{name: name, dir: filepath.Join(suite.artifacts, name), before: map[string]bool{}}
	Expect(os.RemoveAll(f.dir)).To(Succeed())
	Expect(os.MkdirAll(f.dir, 0o755)).To(Succeed())
	for _, ns := range f.list(ctx, deploy.LabelManaged+"=coalmine") {
		f.before[ns.Name] = true
	}
	DeferCleanup(func(ctx SpecContext) {
		f.waitRuns(ctx)
		if CurrentSpecReport().Failed() {
			f.dumpArtifacts(ctx)
		}
		f.cleanup(ctx)
	}, NodeTimeout(10*time.Minute))
	return f
}

// Given a library scenario (or file), when it is run with args: start
// runs `coalmine run` in the background with the spec's output directory
// and, where the CLI takes one, a run id derived from the spec name. With
// keep the namespaces stay after the run: the fixture removes them, after
// dumping them on failure.
func (f *fixture) start(ctx context.Context, keep bool, scenario string, args ...string) *scenarioRun {
	f.mu.Lock()
	defer f.mu.Unlock()
	base := strings.TrimSuffix(filepath.Base(scenario), filepath.Ext(scenario))
	r := &scenarioRun{f: f, scenario: scenario, strategies: strategiesOf(scenario, args), started: time.Now(),
		out: filepath.Join(f.dir, fmt.Sprintf("run%d-%s", len(f.runs)+1, slug(base, 40))), finished: make(chan struct{})}
	argv := append([]string{"run", scenario, "--out", r.out, "--images", string(suite.images)}, args...)
	if keep {
		argv = append(argv, "--keep")
	}
	if suite.runIDFlag {
		r.id = runID(f.name)
		argv = append(argv, "--run-id", r.id)
	}
	f.runs = append(f.runs, r)
	Expect(os.MkdirAll(r.out, 0o755)).To(Succeed())
	go func() {
		defer GinkgoRecover()
		defer close(r.finished)
		r.err = runCLI(ctx, r.out+".log", argv...)
	}()
	return r
}

// runScenario runs the scenario to the end, keeping its namespaces for
// the fixture, and returns the run and app.Run's error (nil, an
// *app.ExitError for failed expectations, or another error).
func (f *fixture) runScenario(ctx context.Context, scenario string, args ...string) (*scenarioRun, error) {
	r := f.start(ctx, true, scenario, args...)
	<-r.finished
	return r, r.err
}

// running is for the polled functions of Eventually: it stops the polling
// at once if the run has already returned.
func (r *scenarioRun) running() {
	select {
	case <-r.finished:
		StopTrying(fmt.Sprintf("coalmine run %s returned early (log %s.log): %v", r.scenario, r.out, r.err)).Now()
	default:
	}
}

// runID is coalmine.dev/run for a spec: "e2e-", the start of the spec's
// name and a random suffix, within the CLI's 12 characters.
func runID(spec string) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return "e2e-" + slug(spec, 3) + "-" + hex.EncodeToString(b[:])
}

// strategiesOf is what a run deploys: --strategy, else the scenario's own.
func strategiesOf(scenario string, args []string) []string {
	if i := slices.Index(args, "--strategy"); i >= 0 && i+1 < len(args) {
		return strings.Split(args[i+1], ",")
	}
	s, err := scenarios.Load(scenario)
	if err != nil {
		return nil // the run reports it
	}
	var out []string
	for _, st := range s.Strategies {
		out = append(out, st.Name)
	}
	return out
}

// Then: the run's typed results.
func (r *scenarioRun) results() *results.Results {
	GinkgoHelper()
	res, err := results.Read(r.out)
	Expect(err).NotTo(HaveOccurred())
	return res
}

// recordsOf is the path of a strategy's records file.
func (r *scenarioRun) recordsOf(res *results.Results, strategy string) string {
	return filepath.Join(r.out, filepath.FromSlash(strategyRun(res, strategy).RecordsFile))
}

// expectPassed fails unless the run exited 0; for failed expectations it
// lists them from the results.
func (r *scenarioRun) expectPassed(err error) {
	GinkgoHelper()
	var exit *app.ExitError
	if errors.As(err, &exit) {
		if res, rerr := results.Read(r.out); rerr == nil {
			Fail(fmt.Sprintf("coalmine run %s exited %d:\n%s", r.scenario, exit.Code, strings.Join(failedExpectations(res), "\n")))
		}
	}
	Expect(err).NotTo(HaveOccurred(), "coalmine run %s (log %s.log)", r.scenario, r.out)
}

func failedExpectations(res *results.Results) []string {
	var out []string
	for _, s := range res.Strategies {
		for _, rel := range s.Releases {
			for _, x := range rel.Expectations {
				if !x.Passed {
					out = append(out, fmt.Sprintf("  %s / %s: %s: %s", s.Name, rel.Version, x.Name, x.Reason))
				}
			}
		}
	}
	return out
}

// namespacesOf returns the namespaces of run r that exist now. Without a
// run id from the CLI, the id is learned from the first new namespace of
// one of r's strategies, or from results.json once written.
func (f *fixture) namespacesOf(ctx context.Context, r *scenarioRun) []corev1.Namespace {
	id := r.runID(ctx)
	if id == "" {
		return nil
	}
	return f.list(ctx, deploy.LabelRun+"="+id)
}

func (r *scenarioRun) runID(ctx context.Context) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.id != "" {
		return r.id
	}
	if res, err := results.Read(r.out); err == nil {
		for _, s := range res.Strategies {
			if id, ok := strings.CutPrefix(s.Namespace, "coalmine-"+slug(s.Name, 63)+"-"); ok {
				r.id = id
				return r.id
			}
		}
	}
	sel := labels.SelectorFromSet(labels.Set{deploy.LabelManaged: "coalmine"}).String()
	for _, ns := range r.f.list(ctx, sel) {
		if !r.f.before[ns.Name] && slices.Contains(r.strategies, ns.Labels[deploy.LabelStrategy]) &&
			!ns.CreationTimestamp.Time.Before(r.started.Truncate(time.Second)) {
			r.id = ns.Labels[deploy.LabelRun]
			return r.id
		}
	}
	return ""
}

// list returns the namespaces matching a label selector.
func (f *fixture) list(ctx context.Context, selector string) []corev1.Namespace {
	GinkgoHelper()
	l, err := suite.clients.Kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: selector})
	Expect(err).NotTo(HaveOccurred())
	return l.Items
}

// waitRuns waits for the spec's runs to return (the spec's context has
// ended: an interrupted run cleans up and writes its results first).
func (f *fixture) waitRuns(ctx context.Context) {
	f.mu.Lock()
	runs := slices.Clone(f.runs)
	f.mu.Unlock()
	for _, r := range runs {
		Eventually(ctx, r.finished).WithTimeout(5*time.Minute).Should(BeClosed(), "coalmine run %s did not return", r.scenario)
	}
}

// cleanup deletes every namespace of the spec's runs, by run label, and
// waits until they are gone (their NodePorts are free again).
func (f *fixture) cleanup(ctx context.Context) {
	f.mu.Lock()
	runs := slices.Clone(f.runs)
	f.mu.Unlock()
	for _, r := range runs {
		id := r.runID(ctx)
		if id == "" {
			continue
		}
		sel := deploy.LabelRun + "=" + id
		for _, ns := range f.list(ctx, sel) {
			err := suite.clients.Kube.CoreV1().Namespaces().Delete(ctx, ns.Name, metav1.DeleteOptions{})
			if !apierrors.IsNotFound(err) {
				Expect(err).NotTo(HaveOccurred(), "delete namespace %s", ns.Name)
			}
		}
		Eventually(ctx, func() []corev1.Namespace { return f.list(ctx, sel) }).
			WithTimeout(4*time.Minute).WithPolling(2*time.Second).Should(BeEmpty(), "namespaces labelled %s", sel)
	}
}

func names(nss []corev1.Namespace) []string {
	out := make([]string, len(nss))
	for i, ns := range nss {
		out[i] = ns.Name
	}
	return out
}

// strategyRun and release pick one strategy / release out of the results.
func strategyRun(res *results.Results, name string) results.StrategyRun {
	GinkgoHelper()
	i := slices.IndexFunc(res.Strategies, func(s results.StrategyRun) bool { return s.Name == name })
	Expect(i).To(BeNumerically(">=", 0), "strategy %s in results", name)
	return res.Strategies[i]
}

func release(s results.StrategyRun, version string) results.ReleaseResult {
	GinkgoHelper()
	i := slices.IndexFunc(s.Releases, func(r results.ReleaseResult) bool { return r.Version == version })
	Expect(i).To(BeNumerically(">=", 0), "release %s of strategy %s", version, s.Name)
	return s.Releases[i]
}

// event returns the first timeline event of kind (for release, or any
// release when release < 0).
func event(s results.StrategyRun, kind results.EventKind, release int) (results.Event, bool) {
	for _, e := range s.Timeline {
		if e.Kind == kind && (release < 0 || e.Release == release) {
			return e, true
		}
	}
	return results.Event{}, false
}
