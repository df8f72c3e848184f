package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coalmine/coalmine/faults"
	"github.com/coalmine/coalmine/sim/internal/promstore"
)

// replicaSet is one revision of the Rollout: its pod template hash,
// version, faults and pods.
type replicaSet struct {
	hash    string
	version string
	plan    *faults.Plan
	// desired is spec.replicas.
	desired int32
	pods    []*pod
}

// available counts the pods that are ready and not terminating.
func (rs *replicaSet) available() int32 {
	var n int32
	for _, p := range rs.pods {
		if p.ready && !p.terminating {
			n++
		}
	}
	return n
}

// current counts the pods that are not terminating (status.replicas).
func (rs *replicaSet) current() int32 {
	var n int32
	for _, p := range rs.pods {
		if !p.terminating {
			n++
		}
	}
	return n
}

// pod is one faultapp pod: a process that may restart, its readiness,
// whether kube-proxy routes to it, and its metric target.
type pod struct {
	name string
	rs   *replicaSet
	rng  *rand.Rand
	// started is when the current process started; meter and n are its
	// request rate and count (reset by a restart).
	started time.Time
	meter   *faults.Meter
	n       int64
	leaked  int64
	// up is false while the container is down (crashed, backing off).
	up bool
	// ready is the readiness the kubelet reports; routed is whether
	// kube-proxy sends it requests; terminating is set on deletion.
	ready, routed, terminating bool
	// gone is set once the deleted pod's process ended, dropped once
	// Prometheus stopped scraping it.
	gone, dropped bool
	restarts      int
	target        promstore.TargetID
	scrapeAt      time.Duration // phase of its scrapes
}

// decide is the fault model's decision for one request to route from user.
func (p *pod) decide(now time.Time, route int, user string) faults.Decision {
	p.meter.Add(now)
	p.n++
	r := faults.Request{Route: route, User: user, Up: now.Sub(p.started), N: p.n}
	if e := p.rs.plan.Faults().Errors; e != nil && e.MinRPS > 0 {
		r.RPS = p.meter.Rate(now)
	}
	return p.rs.plan.Decide(r, p.rng)
}

// restart starts a new process in the pod at now.
func (p *pod) restart(now time.Time) {
	p.started, p.meter, p.n, p.leaked, p.up = now, faults.NewMeter(now), 0, 0, true
}

func podName(hash string, i int) string { return fmt.Sprintf("faultapp-%s-%05d", hash, i) }
