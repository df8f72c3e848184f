package promstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-rollouts/metricproviders/prometheus"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	log "github.com/sirupsen/logrus"
)

func mustFloat(t testing.TB, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAPIEvaluatesAtVirtualNow(t *testing.T) {
	s := twoHashes(t)
	now := at(11*time.Minute + 1500*time.Microsecond) // rounds to 11 m + 2 ms
	api := s.API(func() time.Time { return now })
	q := libraryQueries(t, "classic-steps.yaml", libArgs)["success-rate"]
	got, warnings, err := api.Query(context.Background(), q, time.Now())
	if err != nil || warnings != nil {
		t.Fatalf("Query: %v, warnings %v", err, warnings)
	}
	v, ok := got.(model.Vector)
	if !ok || len(v) != 1 {
		t.Fatalf("Query = %#v, want a one-sample model.Vector", got)
	}
	wantTS := model.Time(at(11*time.Minute).UnixMilli() + 2)
	if v[0].Timestamp != wantTS || len(v[0].Metric) != 0 {
		t.Errorf("sample %v at %d, want {} at %d", v[0].Metric, v[0].Timestamp, wantTS)
	}
	wantNear(t, "success rate via the API", float64(v[0].Value), 0.98)
	// Virtual time moves: a time with no canary sample in the window.
	now = at(30 * time.Minute)
	got, _, err = api.Query(context.Background(), q, now.Add(-19*time.Minute))
	if err != nil || got.(model.Vector)[0].Value != 1 {
		t.Errorf("Query at 30 m = %v, %v; want the vector(1) fallback", got, err)
	}
}

func TestAPIValues(t *testing.T) {
	s := twoHashes(t)
	now := at(10 * time.Minute)
	api := s.API(func() time.Time { return now })
	ctx := context.Background()
	got, _, err := api.Query(ctx, `up{pod="shop-canary1-y"}`, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := model.Metric{"__name__": "up", "instance": "10.0.0.2:8080", "job": "faultapp", "namespace": "shop",
		"pod": "shop-canary1-y", "rollouts_pod_template_hash": "canary1"}
	if v := got.(model.Vector); len(v) != 1 || !v[0].Metric.Equal(want) || v[0].Value != 1 {
		t.Errorf("up = %v, want %v => 1", v, want)
	}
	got, _, err = api.Query(ctx, `1 + 2`, time.Time{})
	if sc, ok := got.(*model.Scalar); err != nil || !ok || sc.Value != 3 || sc.Timestamp != model.Time(now.UnixMilli()) {
		t.Errorf("1 + 2 = %#v, %v", got, err)
	}
	got, _, err = api.Query(ctx, `"text"`, time.Time{})
	if str, ok := got.(*model.String); err != nil || !ok || str.Value != "text" {
		t.Errorf(`"text" = %#v, %v`, got, err)
	}
	got, _, err = api.Query(ctx, `up{pod="shop-canary1-y"}[12s]`, time.Time{})
	m, ok := got.(model.Matrix)
	if err != nil || !ok || len(m) != 1 || len(m[0].Values) != 2 {
		t.Fatalf("up[12s] = %#v, %v", got, err)
	}
	// The canary is scraped at phase 3 s: 9:53 and 9:58.
	if m[0].Values[0].Timestamp != model.Time(at(9*time.Minute+53*time.Second).UnixMilli()) || m[0].Values[1].Value != 1 {
		t.Errorf("up[12s] = %v", m[0].Values)
	}
	if got, _, _ := api.Query(ctx, `absent(nothing)`, time.Time{}); len(got.(model.Vector)) != 1 {
		t.Errorf("absent(nothing) = %v", got)
	}
	if got, _, _ := api.Query(ctx, `nothing`, time.Time{}); got == nil || len(got.(model.Vector)) != 0 {
		t.Errorf("nothing = %#v, want an empty vector", got)
	}
}

func TestAPIErrors(t *testing.T) {
	api := New(interval).API(func() time.Time { return at(0) })
	_, _, err := api.Query(context.Background(), `sum(rate(up[2m])`, time.Now())
	var perr *promv1.Error
	if !errors.As(err, &perr) || perr.Type != promv1.ErrBadData || !strings.HasPrefix(perr.Msg, `invalid parameter "query": `) ||
		!strings.Contains(perr.Msg, "unclosed left parenthesis") {
		t.Errorf("parse error = %#v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = api.Query(ctx, `up`, time.Now())
	if !errors.As(err, &perr) || perr.Type != promv1.ErrCanceled {
		t.Errorf("canceled query error = %#v", err)
	}
}

// TestArgoProvider runs Argo Rollouts' own Prometheus provider on the API.
func TestArgoProvider(t *testing.T) {
	s := twoHashes(t)
	api := s.API(func() time.Time { return at(11 * time.Minute) })
	for _, c := range []struct {
		hash, value string
		phase       v1alpha1.AnalysisPhase
	}{{"canary1", "[0.98]", v1alpha1.AnalysisPhaseFailed}, {"stable1", "[0.99]", v1alpha1.AnalysisPhaseSuccessful}, {"nope", "[1]", v1alpha1.AnalysisPhaseSuccessful}} {
		q := libraryQueries(t, "classic-steps.yaml", map[string]string{"namespace": "shop", "canary-hash": c.hash})["success-rate"]
		metric := v1alpha1.Metric{Name: "success-rate", SuccessCondition: "result[0] >= 0.99",
			Provider: v1alpha1.MetricProvider{Prometheus: &v1alpha1.PrometheusMetric{Query: q}}}
		p, err := prometheus.NewPrometheusProvider(api, *log.WithField("test", t.Name()), metric)
		if err != nil {
			t.Fatal(err)
		}
		m := p.Run(&v1alpha1.AnalysisRun{}, metric)
		if m.Phase != c.phase || !strings.HasPrefix(m.Value, strings.TrimSuffix(c.value, "]")) {
			t.Errorf("%s: measurement %s %q (%s), want %s %s", c.hash, m.Phase, m.Value, m.Message, c.phase, c.value)
		}
	}
}
