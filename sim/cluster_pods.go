package sim

import "time"

// setReady records the kubelet's readiness of p; kube-proxy routes to a
// ready pod at once and stops routing to an unready one after unroute.
func (cl *cluster) setReady(p *pod, ready bool) {
	if p.ready == ready {
		return
	}
	p.ready = ready
	cl.store.SetReady(p.target, ready)
	if ready && !p.terminating {
		cl.route(p, true)
	} else {
		cl.clk.after(unroute, func() {
			if !p.ready || p.terminating {
				cl.route(p, false)
			}
		})
	}
	cl.changed()
}

func (cl *cluster) route(p *pod, on bool) {
	if p.routed == on {
		return
	}
	p.routed, cl.serving = on, nil
	if on {
		cl.routed = append(cl.routed, p)
		return
	}
	for i, q := range cl.routed {
		if q == p {
			cl.routed = append(cl.routed[:i], cl.routed[i+1:]...)
			return
		}
	}
}

// crash ends p's process: its requests fail until the kubelet restarts it
// after the crash-loop back-off.
func (cl *cluster) crash(p *pod, code int) {
	if !p.up {
		return
	}
	p.up = false
	cl.route(p, false) // connections are refused at once
	cl.setReady(p, false)
	back := time.Duration(0) // the first restart is immediate, then 10 s, 20 s, 40 s…
	if p.restarts > 0 {
		back = min(backoffBase<<min(p.restarts-1, 8), backoffMax)
	}
	p.restarts++
	_ = code
	cl.clk.after(back+cl.cal.PodReady.Draw(cl.rng), func() { cl.start(p) })
}

// remove deletes p: it stops being routed to after unroute, serves until
// its preStop sleep ends, then its process and its series end.
func (cl *cluster) remove(rs *replicaSet, p *pod) {
	p.terminating = true
	cl.clk.after(unroute, func() { cl.route(p, false) })
	cl.clk.after(preStop, func() {
		p.up, p.gone = false, true
		cl.clk.at(cl.discovered(cl.clk.now), func() {
			p.dropped = true
			cl.store.Remove(p.target, cl.clk.now)
		})
		for i, q := range rs.pods {
			if q == p {
				rs.pods = append(rs.pods[:i], rs.pods[i+1:]...)
				break
			}
		}
	})
	cl.changed()
}

// pick returns the pod kube-proxy sends a request to (uniformly among the
// routed pods the Service selects, as its random rules do), nil when there
// is none.
func (cl *cluster) pick() *pod {
	if cl.serving == nil {
		cl.serving = make([]*pod, 0, len(cl.routed))
		for _, p := range cl.routed {
			if cl.selector == "" || p.rs.hash == cl.selector {
				cl.serving = append(cl.serving, p)
			}
		}
	}
	if len(cl.serving) == 0 {
		return nil
	}
	return cl.serving[cl.rng.IntN(len(cl.serving))]
}

// selectHash points the Service at the pods of hash ("" for all pods).
func (cl *cluster) selectHash(hash string) {
	cl.selector, cl.serving = hash, nil
}
