package sim

import (
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/coalmine/coalmine/faultapp"
	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/loadgen"
)

// tick is the resolution of the traffic: requests due in one tick are
// spread evenly over it.
const tick = 100 * time.Millisecond

// traffic sends the scenario's requests from began on, tick by tick.
type traffic struct {
	cl      *cluster
	pacer   loadgen.Pacer
	targets *loadgen.Targets
	mix     loadgen.Mix
	// routes is the faultapp route per endpoint of the mix, resolved once.
	routes  []route
	began   time.Time
	sent    float64 // hits sent so far (whole)
	stopped bool
	// requests counts what was sent; emit, when set, receives every
	// request's record.
	requests uint64
	emit     func(*loadgen.Record)
	rec      loadgen.Record
	buckets  []uint64
}

// route is what faultapp makes of an endpoint: its route id (-1 when it
// has no such route), and the method and path labels of its histogram.
type route struct {
	id           int
	method, path string
}

func newTraffic(cl *cluster, p loadgen.Pacer, t *loadgen.Targets, mix loadgen.Mix) *traffic {
	tr := &traffic{cl: cl, pacer: p, targets: t, mix: mix, buckets: make([]uint64, len(faultapp.DurationBuckets)+1)}
	for _, e := range mix {
		path, _, _ := strings.Cut(e.Path, "?")
		rt := route{id: -1, method: e.Method, path: path}
		if id, ok := faults.RouteID(path); ok {
			rt.id = id
		}
		if rt.method == "" {
			rt.method = http.MethodGet
		}
		tr.routes = append(tr.routes, rt)
	}
	return tr
}

// start begins sending at now and keeps sending every tick until stop.
func (tr *traffic) start() {
	tr.began = tr.cl.clk.now
	var step func()
	step = func() {
		if tr.stopped {
			return
		}
		tr.send(tr.cl.clk.now)
		tr.cl.clk.after(tick, step)
	}
	tr.cl.clk.at(tr.began, step)
}

// send sends the requests due in the tick starting at now.
func (tr *traffic) send(now time.Time) {
	due := math.Floor(tr.pacer.Hits(now.Add(tick).Sub(tr.began)))
	n := int(due - tr.sent)
	tr.sent = due
	for i := range n {
		at := now.Add(time.Duration(float64(tick) * (float64(i) + 0.5) / float64(n)))
		tr.request(at)
	}
}

// request simulates one request sent at at.
func (tr *traffic) request(at time.Time) {
	tr.requests++
	ep, _, user := tr.targets.Draw()
	rt := tr.routes[ep]
	r := &tr.rec
	*r = loadgen.Record{Start: at, Endpoint: tr.mix[ep].Name, User: user}
	p := tr.cl.pick()
	switch {
	case p == nil:
		r.Error, r.Latency = "connection refused", time.Millisecond
	case rt.id < 0:
		r.Status, r.Version = http.StatusNotFound, p.rs.version
	default:
		tr.serve(p, at, rt, r)
	}
	if tr.emit != nil {
		tr.emit(r)
	}
}

// serve answers r on p as faultapp would and counts it in p's metrics.
func (tr *traffic) serve(p *pod, at time.Time, rt route, r *loadgen.Record) {
	dec := p.decide(at, rt.id, r.User)
	r.Version = p.rs.version
	if dec.ExitCode != 0 {
		r.Error = "EOF"
		tr.cl.crash(p, dec.ExitCode)
		return
	}
	r.Status = http.StatusOK
	if dec.Status != 0 {
		r.Status, r.Error = dec.Status, http.StatusText(dec.Status)
	}
	r.Latency = tr.cl.cal.latency(tr.cl.rng) + dec.Delay + dec.Burn
	if dec.Leak > 0 {
		p.leaked += dec.Leak
		if tr.cl.memLimit > 0 && p.leaked >= tr.cl.memLimit {
			tr.cl.crash(p, oomExitCode)
		}
	}
	tr.observe(p, rt.method, rt.path, r.Status, r.Latency)
}

// observe counts one request in p's duration histogram.
func (tr *traffic) observe(p *pod, method, path string, status int, lat time.Duration) {
	s := lat.Seconds()
	i := sort.SearchFloat64s(faultapp.DurationBuckets, s)
	tr.buckets[i] = 1
	tr.cl.store.Observe(p.target, method, path, status, 1, tr.buckets, s)
	tr.buckets[i] = 0
}
