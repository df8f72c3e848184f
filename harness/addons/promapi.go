package addons

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// PromClient talks to coalmine's Prometheus through the API server's
// service proxy: it works on every environment, without port-forwards or
// host port mappings.
type PromClient struct{ c *Clients }

// Prometheus returns the client of the Prometheus in SystemNamespace.
func (c *Clients) Prometheus() *PromClient { return &PromClient{c: c} }

func (p *PromClient) do(ctx context.Context, method, path string, params url.Values) ([]byte, error) {
	req := p.c.Kube.CoreV1().RESTClient().Verb(method).
		Namespace(SystemNamespace).Resource("services").
		Name(fmt.Sprintf("http:%s:%d", PrometheusName, PrometheusPort)).
		SubResource("proxy").Suffix(path)
	for k, vs := range params {
		for _, v := range vs {
			req = req.Param(k, v)
		}
	}
	body, err := req.DoRaw(ctx)
	if err != nil {
		return body, fmt.Errorf("prometheus %s %s: %w", method, path, err)
	}
	return body, nil
}

// Ready returns nil once Prometheus answers /-/ready.
func (p *PromClient) Ready(ctx context.Context) error {
	_, err := p.do(ctx, "GET", "/-/ready", nil)
	return err
}

// Reload asks Prometheus to re-read its configuration file
// (--web.enable-lifecycle).
func (p *PromClient) Reload(ctx context.Context) error {
	_, err := p.do(ctx, "POST", "/-/reload", nil)
	return err
}

// Sample is one element of an instant vector.
type Sample struct {
	Metric map[string]string `json:"metric"`
	Value  float64           `json:"value"`
}

type promResponse struct {
	Status    string          `json:"status"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Data      json.RawMessage `json:"data"`
}

// Query evaluates an instant PromQL vector query now.
func (p *PromClient) Query(ctx context.Context, q string) ([]Sample, error) {
	body, err := p.do(ctx, "GET", "/api/v1/query", url.Values{"query": {q}})
	if err != nil {
		return nil, err
	}
	return decodeVector(body)
}

func decodeVector(body []byte) ([]Sample, error) {
	var r promResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode prometheus answer: %w", err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("prometheus: %s: %s", r.ErrorType, r.Error)
	}
	var data struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		} `json:"result"`
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		return nil, fmt.Errorf("decode prometheus vector: %w", err)
	}
	if data.ResultType != "vector" {
		return nil, fmt.Errorf("prometheus: result type %q, want vector", data.ResultType)
	}
	out := make([]Sample, 0, len(data.Result))
	for _, s := range data.Result {
		str, _ := s.Value[1].(string)
		v, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return nil, fmt.Errorf("prometheus sample %q: %w", str, err)
		}
		out = append(out, Sample{Metric: s.Metric, Value: v})
	}
	return out, nil
}

// LoadedScrapeInterval returns the global scrape_interval of the
// configuration Prometheus has loaded.
func (p *PromClient) LoadedScrapeInterval(ctx context.Context) (string, error) {
	body, err := p.do(ctx, "GET", "/api/v1/status/config", nil)
	if err != nil {
		return "", err
	}
	var r promResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return "", fmt.Errorf("decode prometheus config status: %w", err)
	}
	var data struct {
		YAML string `json:"yaml"`
	}
	if err := json.Unmarshal(r.Data, &data); err != nil {
		return "", fmt.Errorf("decode prometheus config status: %w", err)
	}
	var cfg struct {
		Global struct {
			ScrapeInterval string `json:"scrape_interval"`
		} `json:"global"`
	}
	if err := yaml.Unmarshal([]byte(data.YAML), &cfg); err != nil {
		return "", fmt.Errorf("parse loaded prometheus config: %w", err)
	}
	return strings.TrimSpace(cfg.Global.ScrapeInterval), nil
}
