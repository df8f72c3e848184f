package analysisrun

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/analysis"
	"github.com/argoproj/argo-rollouts/controller/metrics"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/pkg/client/clientset/versioned/fake"
	informers "github.com/argoproj/argo-rollouts/pkg/client/informers/externalversions"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	"github.com/argoproj/argo-rollouts/utils/record"
	timeutil "github.com/argoproj/argo-rollouts/utils/time"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kubeinformers "k8s.io/client-go/informers"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
)

// Outcome codes of a scripted Prometheus answer (see promServer).
const (
	outS = 'S' // vector [1]: successCondition met
	outF = 'F' // vector [0]: failureCondition met
	outI = 'I' // vector [2]: neither, Inconclusive
	outE = 'E' // empty vector: result[0] fails to evaluate, Error
	outX = 'X' // HTTP 422 API error: the query fails, Error
)

// promServer answers instant queries; the query string is the metric name
// and the n-th query of a metric gets the n-th outcome of its script
// (Successful once the script is exhausted).
type promServer struct {
	*httptest.Server
	mu     sync.Mutex
	script map[string]string
	served map[string]int
}

func newPromServer(t *testing.T, script map[string]string) *promServer {
	p := &promServer{script: script, served: map[string]int{}}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *promServer) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	q := r.Form.Get("query")
	p.mu.Lock()
	n := p.served[q]
	p.served[q] = n + 1
	code := byte(outS)
	if s := p.script[q]; n < len(s) {
		code = s[n]
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	sample := func(v string) string {
		return `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"` + v + `"]}]}}`
	}
	switch code {
	case outS:
		fmt.Fprint(w, sample("1"))
	case outF:
		fmt.Fprint(w, sample("0"))
	case outI:
		fmt.Fprint(w, sample("2"))
	case outE:
		fmt.Fprint(w, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
	default:
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"status":"error","errorType":"execution","error":"scripted failure"}`)
	}
}

// virtualClock is what utils/time's process-global clock reads in these
// tests; tests that drive the real controller must not run in parallel.
type virtualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *virtualClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *virtualClock) get() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// freezeClock points utils/time at a virtual clock for the test's duration.
func freezeClock(t *testing.T) *virtualClock {
	c := &virtualClock{}
	timeutil.SetNowTimeFunc(c.get)
	t.Cleanup(func() { timeutil.SetNowTimeFunc(time.Now) })
	return c
}

// fakeQueue is the analysis controller's workqueue under the test's control:
// Get hands out an item only when the test pushes one, and the queueing
// calls are recorded instead of scheduled.
type fakeQueue struct {
	items    chan any
	done     chan struct{}
	shutdown chan struct{}
	once     sync.Once

	mu          sync.Mutex
	added       bool
	after       []time.Duration
	rateLimited int
}

func newFakeQueue() *fakeQueue {
	return &fakeQueue{items: make(chan any), done: make(chan struct{}), shutdown: make(chan struct{})}
}

func (q *fakeQueue) Add(any)  { q.mu.Lock(); q.added = true; q.mu.Unlock() }
func (q *fakeQueue) Len() int { return 0 }
func (q *fakeQueue) Get() (any, bool) {
	select {
	case it := <-q.items:
		return it, false
	case <-q.shutdown:
		return nil, true
	}
}
func (q *fakeQueue) Done(any)            { q.done <- struct{}{} }
func (q *fakeQueue) ShutDown()           { q.once.Do(func() { close(q.shutdown) }) }
func (q *fakeQueue) ShutDownWithDrain()  { q.ShutDown() }
func (q *fakeQueue) Forget(any)          {}
func (q *fakeQueue) NumRequeues(any) int { return 0 }
func (q *fakeQueue) AddRateLimited(any)  { q.mu.Lock(); q.rateLimited++; q.mu.Unlock() }
func (q *fakeQueue) AddAfter(_ any, d time.Duration) {
	q.mu.Lock()
	q.after = append(q.after, d)
	q.mu.Unlock()
}
func (q *fakeQueue) ShuttingDown() bool {
	select {
	case <-q.shutdown:
		return true
	default:
		return false
	}
}

// drain returns and clears what the last sync asked of the queue.
func (q *fakeQueue) drain() (added bool, after []time.Duration, rateLimited int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	added, after, rateLimited = q.added, q.after, q.rateLimited
	q.added, q.after, q.rateLimited = false, nil, 0
	return added, after, rateLimited
}

// realController is Argo's analysis.Controller running one AnalysisRun on
// fake clientsets. The informers are not started: after each sync the test
// copies the stored run into the lister and plays the update event itself,
// and it keeps the run's pending reconciles as client-go's queue would (an
// immediate add, plus the earliest pending AddAfter).
type realController struct {
	t       *testing.T
	clock   *virtualClock
	client  *fake.Clientset
	indexer cache.Indexer
	queue   *fakeQueue
	key     string
	event   *time.Time
	requeue *time.Time
}

func newRealController(t *testing.T, clock *virtualClock, run *v1alpha1.AnalysisRun, now time.Time) *realController {
	r := &realController{t: t, clock: clock, queue: newFakeQueue(), key: run.Namespace + "/" + run.Name}
	r.client = fake.NewSimpleClientset(run.DeepCopy())
	kubeclient := k8sfake.NewSimpleClientset()
	i := informers.NewSharedInformerFactory(r.client, 0)
	k8sI := kubeinformers.NewSharedInformerFactory(kubeclient, 0)
	c := analysis.NewController(analysis.ControllerConfig{
		KubeClientSet:        kubeclient,
		ArgoProjClientset:    r.client,
		AnalysisRunInformer:  i.Argoproj().V1alpha1().AnalysisRuns(),
		JobInformer:          k8sI.Batch().V1().Jobs(),
		JobPodsInformer:      k8sI.Core().V1().Pods(),
		AnalysisRunWorkQueue: r.queue,
		MetricsServer: metrics.NewMetricsServer(metrics.ServerConfig{
			Addr: "localhost:0", K8SRequestProvider: &metrics.K8sRequestsCountProvider{},
		}),
		Recorder: record.NewFakeEventRecorder(),
	})
	r.indexer = i.Argoproj().V1alpha1().AnalysisRuns().Informer().GetIndexer()
	if err := r.indexer.Add(run.DeepCopy()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { _ = c.Run(ctx, 1); close(stopped) }()
	t.Cleanup(func() { cancel(); r.queue.ShutDown(); <-stopped })
	r.event = timePtr(now) // the creation event
	return r
}

// stored returns the run as the fake API server holds it.
func (r *realController) stored() *v1alpha1.AnalysisRun {
	ns, name, _ := cache.SplitMetaNamespaceKey(r.key)
	run, err := r.client.ArgoprojV1alpha1().AnalysisRuns(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		r.t.Fatal(err)
	}
	return run
}

// reconcile has a worker sync the run at virtual time now.
func (r *realController) reconcile(now time.Time) {
	r.clock.set(now)
	if r.event != nil && !r.event.After(now) {
		r.event = nil
	}
	if r.requeue != nil && !r.requeue.After(now) {
		r.requeue = nil
	}
	before := len(r.client.Actions())
	r.queue.items <- r.key
	<-r.queue.done
	patched := false
	for _, a := range r.client.Actions()[before:] {
		patched = patched || a.GetVerb() == "patch"
	}
	added, after, rateLimited := r.queue.drain()
	if rateLimited > 0 {
		r.t.Fatalf("the controller's sync failed at %v", now)
	}
	if err := r.indexer.Update(r.stored()); err != nil {
		r.t.Fatal(err)
	}
	if patched || added {
		r.event = timePtr(now)
	}
	for _, d := range after {
		at := now.Add(max(d, 0))
		if r.requeue == nil || at.Before(*r.requeue) {
			r.requeue = &at
		}
	}
}

// terminate patches spec.terminate as the rollout controller does.
func (r *realController) terminate(now time.Time) {
	r.clock.set(now)
	ns, name, _ := cache.SplitMetaNamespaceKey(r.key)
	if err := analysisutil.TerminateRun(r.client.ArgoprojV1alpha1().AnalysisRuns(ns), name); err != nil {
		r.t.Fatal(err)
	}
	if err := r.indexer.Update(r.stored()); err != nil {
		r.t.Fatal(err)
	}
	r.event = timePtr(now)
}

// next is when the queue hands the run out next, false once it completed.
func (r *realController) next() (time.Time, bool) {
	if r.stored().Status.Phase.Completed() {
		return time.Time{}, false
	}
	switch {
	case r.event != nil && (r.requeue == nil || !r.requeue.Before(*r.event)):
		return *r.event, true
	case r.requeue != nil:
		return *r.requeue, true
	}
	return time.Time{}, false
}

// statusJSON renders a status for failure messages.
func statusJSON(s v1alpha1.AnalysisRunStatus) string {
	b, _ := json.MarshalIndent(s, "", "  ")
	return string(b)
}
