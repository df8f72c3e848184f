package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/scenarios"
	"github.com/coalmine/coalmine/sim/internal/promstore"
)

// epoch is when every simulated run starts (virtual time).
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// healthyTimeout bounds the initial deployment (harness/run's default).
const healthyTimeout = 3 * time.Minute

// errStopped ends a run whose context was canceled.
var errStopped = errors.New("simulation stopped")

// play runs one strategy of the scenario once, sending every request's
// record to emit when it is set. The result is deterministic for a seed.
func play(ctx context.Context, v *view, st *scenarios.Strategy, cal *Calibration, seed int64,
	emit func(*loadgen.Record)) (*strategySim, *traffic, error) {
	scaled, err := scenarios.Scale(st, scenarios.ScaleOptions{Factor: v.s, ScrapeInterval: v.scrape})
	if err != nil {
		return nil, nil, err
	}
	s, err := newStrategySim(v, st.Name, scaled, cal, seed)
	if err != nil {
		return nil, nil, err
	}
	tr, err := s.newTraffic(v, seed)
	if err != nil {
		return nil, nil, err
	}
	tr.emit = emit
	err = s.run(ctx, v, tr)
	return s, tr, err
}

func newStrategySim(v *view, name string, scaled *scenarios.ScaledStrategy, cal *Calibration, seed int64) (*strategySim, error) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5101))
	clk := &clock{now: epoch}
	store := promstore.New(v.scrape)
	s := &strategySim{name: name, clk: clk, rng: rng, cal: cal, store: store, tmpls: scaled.Templates,
		deadline: time.Duration(scaled.ProgressDeadlineSeconds) * time.Second, deadlineAbort: scaled.ProgressDeadlineAbort}
	s.measure = measure(store, func() time.Time { return clk.now })
	ns := "coalmine-" + name
	s.cl = &cluster{clk: clk, rng: rng, cal: cal, store: store, ns: ns, scrape: v.scrape,
		reloadPhase: time.Duration(rng.Int64N(int64(discoveryReload)))}
	if m := v.sc.Spec.App.Resources.Limits.Memory; m != "" {
		q, err := resource.ParseQuantity(string(m))
		if err != nil {
			return nil, fmt.Errorf("app.resources.limits.memory: %w", err)
		}
		s.cl.memLimit = q.Value()
	}
	replicas := v.sc.Spec.App.Replicas
	s.ro = &rollout{s: s, ro: &v1alpha1.Rollout{
		ObjectMeta: metav1.ObjectMeta{Name: "faultapp", Namespace: ns},
		Spec:       v1alpha1.RolloutSpec{Replicas: &replicas, Strategy: scaled.Spec},
	}}
	s.cl.changed = s.ro.enqueue
	return s, nil
}

func (s *strategySim) newTraffic(v *view, seed int64) (*traffic, error) {
	t := v.traffic
	p, err := t.Pacer(24 * time.Hour * 365)
	if err != nil {
		return nil, err
	}
	users, err := loadgen.NewUsers(loadgen.Population{Count: t.Users.Count, Skew: t.Users.Skew}, seed)
	if err != nil {
		return nil, err
	}
	targets, err := loadgen.NewTargets("http://127.0.0.1", t.Mix(), users, seed)
	if err != nil {
		return nil, err
	}
	return newTraffic(s.cl, p, targets, t.Mix()), nil
}
