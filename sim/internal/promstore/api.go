package promstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
)

// API returns the store as the Prometheus HTTP API client Argo Rollouts'
// Prometheus provider talks to. Only Query is supported: it evaluates at
// now() (virtual time, rounded to the millisecond as the HTTP API rounds
// the time parameter) whatever time the caller passes, ignores the
// options, returns no warnings, and presents results and errors as the
// client decodes them from the real API. Every other method panics.
func (s *Store) API(now func() time.Time) promv1.API {
	return virtualAPI{store: s, now: now}
}

// virtualAPI implements promv1.API's Query over a store; the embedded
// interface is nil.
type virtualAPI struct {
	promv1.API
	store *Store
	now   func() time.Time
}

// Query implements promv1.API.
func (a virtualAPI) Query(ctx context.Context, query string, _ time.Time, _ ...promv1.Option) (model.Value, promv1.Warnings, error) {
	v, err := a.store.query(ctx, query, a.now().Round(time.Millisecond))
	if err != nil {
		return nil, nil, apiError(err)
	}
	mv, err := toModel(v)
	if err != nil {
		return nil, nil, &promv1.Error{Type: promv1.ErrBadResponse, Msg: err.Error()}
	}
	return mv, nil, nil
}

// apiError is err as the client returns it from the HTTP API (see
// web/api/v1/api.go: invalidParamError and returnAPIError).
func apiError(err error) error {
	var bad badQueryError
	var canceled promql.ErrQueryCanceled
	var timeout promql.ErrQueryTimeout
	switch {
	case errors.As(err, &bad):
		return &promv1.Error{Type: promv1.ErrBadData, Msg: fmt.Sprintf("invalid parameter %q: %v", "query", bad.err)}
	case errors.As(err, &canceled), errors.Is(err, context.Canceled):
		return &promv1.Error{Type: promv1.ErrCanceled, Msg: err.Error()}
	case errors.As(err, &timeout):
		return &promv1.Error{Type: promv1.ErrTimeout, Msg: err.Error()}
	}
	return &promv1.Error{Type: promv1.ErrExec, Msg: err.Error()}
}

// toModel converts an engine result to the value the client decodes from
// the API's JSON: samples keep their labels, values (which the JSON
// carries exactly) and millisecond timestamps.
func toModel(v parser.Value) (model.Value, error) {
	switch r := v.(type) {
	case promql.Vector:
		out := make(model.Vector, 0, len(r))
		for _, smp := range r {
			if smp.H != nil {
				return nil, errors.New("promstore: native histogram results are not supported")
			}
			out = append(out, &model.Sample{Metric: toMetric(smp.Metric), Value: model.SampleValue(smp.F), Timestamp: model.Time(smp.T)})
		}
		return out, nil
	case promql.Scalar:
		return &model.Scalar{Value: model.SampleValue(r.V), Timestamp: model.Time(r.T)}, nil
	case promql.String:
		return &model.String{Value: r.V, Timestamp: model.Time(r.T)}, nil
	case promql.Matrix:
		out := make(model.Matrix, 0, len(r))
		for _, sr := range r {
			if len(sr.Histograms) > 0 {
				return nil, errors.New("promstore: native histogram results are not supported")
			}
			ss := &model.SampleStream{Metric: toMetric(sr.Metric), Values: make([]model.SamplePair, 0, len(sr.Floats))}
			for _, p := range sr.Floats {
				ss.Values = append(ss.Values, model.SamplePair{Timestamp: model.Time(p.T), Value: model.SampleValue(p.F)})
			}
			out = append(out, ss)
		}
		return out, nil
	}
	return nil, fmt.Errorf("promstore: unexpected result type %T", v)
}

func toMetric(lset labels.Labels) model.Metric {
	m := make(model.Metric, lset.Len())
	lset.Range(func(l labels.Label) { m[model.LabelName(l.Name)] = model.LabelValue(l.Value) })
	return m
}
