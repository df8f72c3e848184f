package scenarios

import (
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"

	"github.com/coalmine/coalmine/faultapp"
)

// TestLibraryPromQL parses every query of the library's AnalysisTemplates
// with Prometheus' own parser and checks each series selector against the
// names faultapp exports and the target labels coalmine's Prometheus
// attaches: a misspelled metric or label would otherwise match nothing and
// read as "no data".
func TestLibraryPromQL(t *testing.T) {
	hist := faultapp.MetricRequestDuration
	metrics := map[string]bool{hist + "_bucket": true, hist + "_count": true, hist + "_sum": true, "up": true,
		faultapp.MetricInFlight: true, faultapp.MetricFaultsInjected: true, faultapp.MetricInfo: true,
		faultapp.MetricLeakedBytes: true, faultapp.MetricReady: true}
	labels := map[string]bool{"__name__": true, "job": true, "instance": true, "le": true,
		faultapp.LabelMethod: true, faultapp.LabelPath: true, faultapp.LabelStatusCode: true, faultapp.LabelVersion: true,
		faultapp.LabelKind: true, faultapp.TargetLabelNamespace: true, faultapp.TargetLabelPod: true, faultapp.TargetLabelHash: true}
	args := regexp.MustCompile(`\{\{\s*args\.[A-Za-z0-9_.-]+\s*\}\}`)
	queries := 0
	promql := parser.NewParser(parser.Options{}) // the cluster's Prometheus runs without feature flags
	for _, e := range ListStrategies() {
		name := e.Name
		st, err := LoadStrategy(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tmpl := range st.Templates {
			for _, m := range tmpl.Spec.Metrics {
				if m.Provider.Prometheus == nil {
					continue
				}
				queries++
				where := name + "/" + tmpl.Name + "/" + m.Name
				expr, err := promql.ParseExpr(args.ReplaceAllString(m.Provider.Prometheus.Query, "x"))
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				checkSelectors(t, where, expr, metrics, labels)
			}
		}
	}
	if queries < 8 {
		t.Fatalf("only %d library queries found", queries)
	}
}

func checkSelectors(t *testing.T, where string, expr parser.Expr, metrics, labels map[string]bool) {
	parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name != "" && !metrics[vs.Name] {
			t.Errorf("%s: metric %q is not one faultapp exports", where, vs.Name)
		}
		for _, lm := range vs.LabelMatchers {
			if !labels[lm.Name] {
				t.Errorf("%s: label %q of %s is not one faultapp's series carry (%s)", where, lm.Name, vs.Name,
					strings.Join(sortedKeys(labels), ", "))
			}
		}
		return nil
	})
}
