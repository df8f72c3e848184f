package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coalmine/coalmine/sim/internal/promstore"
)

// Kubelet and kube-proxy facts of coalmine's clusters (harness/deploy).
const (
	// preStop keeps a deleted pod serving while kube-proxy stops routing
	// to it (deploy's preStopSleepSeconds).
	preStop = 10 * time.Second
	// unroute is how long kube-proxy keeps routing to a pod that stopped
	// being ready or was deleted (endpoint propagation).
	unroute = time.Second
	// backoffBase and backoffMax are the kubelet's crash-loop back-off.
	backoffBase = 10 * time.Second
	backoffMax  = 5 * time.Minute
	// oomExitCode is the exit code of a container killed for memory.
	oomExitCode = 137
	// discoveryUpdate and discoveryReload are Prometheus' service
	// discovery delays (v3.13 discovery/manager.go: updates are sent with
	// a back-off growing to updatert, 5 s, while targets keep changing;
	// scrape/manager.go: scrape pools are reloaded on a 5 s ticker).
	discoveryUpdate = 5 * time.Second
	discoveryReload = 5 * time.Second
)

// cluster is the namespace of one strategy: ReplicaSets and their pods as
// the ReplicaSet controller, the kubelet and kube-proxy keep them, and the
// Prometheus that scrapes them.
type cluster struct {
	clk      *clock
	rng      *rand.Rand
	cal      *Calibration
	store    *promstore.Store
	ns       string
	scrape   time.Duration
	memLimit int64
	routed   []*pod
	// selector, when set, is the pod-template hash the Service selects
	// (blue-green's active Service); serving caches the routed pods it
	// selects.
	selector string
	serving  []*pod
	seq      int
	// reloadPhase is the phase of Prometheus' scrape-pool reload ticker.
	reloadPhase time.Duration
	// changed is called when a pod's availability changes (the rollout
	// controller watches ReplicaSet status).
	changed func()
}

// scale sets rs's desired replicas, creating or deleting pods.
func (cl *cluster) scale(rs *replicaSet, n int32) {
	rs.desired = n
	for rs.current() < n {
		cl.create(rs)
	}
	for rs.current() > n {
		cl.remove(rs, victim(rs))
	}
}

// victim is the pod the ReplicaSet controller deletes first: a not-ready
// one, else the newest.
func victim(rs *replicaSet) *pod {
	var v *pod
	for _, p := range rs.pods {
		if p.terminating {
			continue
		}
		if !p.ready {
			return p
		}
		v = p
	}
	return v
}

func (cl *cluster) create(rs *replicaSet) {
	cl.seq++
	p := &pod{name: podName(rs.hash, cl.seq), rs: rs, rng: rand.New(rand.NewPCG(cl.rng.Uint64(), uint64(cl.seq)))}
	p.target = cl.store.AddTarget(promstore.Target{Namespace: cl.ns, Pod: p.name, Hash: rs.hash,
		Instance: fmt.Sprintf("10.244.0.%d:8080", cl.seq%250+2), Version: rs.version})
	p.scrapeAt = time.Duration(cl.rng.Int64N(int64(cl.scrape)))
	rs.pods = append(rs.pods, p)
	cl.clk.after(cl.cal.PodReady.Draw(cl.rng), func() { cl.start(p) })
}

// start starts p's process (first start or restart) and its scrapes; it
// is ready at once (the readiness probe period is part of PodReady).
func (cl *cluster) start(p *pod) {
	if p.terminating {
		return
	}
	first := p.restarts == 0 && !p.up
	p.restart(cl.clk.now)
	if !first {
		cl.store.Restart(p.target)
	} else {
		cl.scrapeLoop(p)
	}
	cl.setReady(p, p.rs.plan.Ready(0))
	f := p.rs.plan.Faults()
	if c := f.Crash; c != nil && c.After > 0 {
		started := p.started
		cl.clk.after(c.After.D(), func() {
			if p.started.Equal(started) && p.up {
				cl.crash(p, c.ExitCode)
			}
		})
	}
	if r := f.Readiness; r != nil {
		started := p.started
		cl.clk.after(r.After.D(), func() {
			if p.started.Equal(started) && p.up {
				cl.setReady(p, false)
			}
		})
	}
}

// discovered is when Prometheus starts (or stops) scraping a pod whose
// state changed at t: after the discovery manager sends the update and
// at the scrape manager's next reload.
func (cl *cluster) discovered(t time.Time) time.Time {
	t = t.Add(time.Duration(cl.rng.Int64N(int64(discoveryUpdate))))
	next := t.Truncate(discoveryReload).Add(cl.reloadPhase)
	for next.Before(t) {
		next = next.Add(discoveryReload)
	}
	return next
}

// scrapeLoop scrapes p every interval at its phase from its discovery on,
// until the target is dropped.
func (cl *cluster) scrapeLoop(p *pod) {
	from := cl.discovered(cl.clk.now)
	next := from.Truncate(cl.scrape).Add(p.scrapeAt)
	for next.Before(from) {
		next = next.Add(cl.scrape)
	}
	var tick func()
	tick = func() {
		if p.dropped {
			return
		}
		if p.up {
			cl.store.Scrape(p.target, cl.clk.now)
		} else {
			cl.store.ScrapeFailed(p.target, cl.clk.now)
		}
		cl.clk.after(cl.scrape, tick)
	}
	cl.clk.at(next, tick)
}
