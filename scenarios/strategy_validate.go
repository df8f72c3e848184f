package scenarios

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// strategyValidator checks what strict decoding cannot: that a strategy
// file is complete, self-contained and runnable on coalmine's clusters
// (no traffic router: canary weights are replica ratios).
type strategyValidator struct {
	validator
	tmpls []v1alpha1.AnalysisTemplate
	// used marks templates referenced by the strategy.
	used map[string]bool
}

var argRefRE = regexp.MustCompile(`\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}`)

func (v *strategyValidator) validate(s *v1alpha1.RolloutStrategy) {
	v.used = map[string]bool{}
	v.templates()
	switch {
	case s.Canary != nil && s.BlueGreen != nil:
		v.errorf("strategy", "set exactly one of canary and blueGreen")
	case s.Canary != nil:
		v.canary(s.Canary)
	case s.BlueGreen != nil:
		v.blueGreen(s.BlueGreen)
	default:
		v.errorf("strategy", "set exactly one of canary and blueGreen")
	}
	for i, t := range v.tmpls {
		if t.Name != "" && !v.used[t.Name] {
			v.errorf(templatePath(i)+".metadata.name", "AnalysisTemplate %q is not referenced by the strategy", t.Name)
		}
	}
}

func (v *strategyValidator) canary(c *v1alpha1.CanaryStrategy) {
	const p = "strategy.canary"
	if c.TrafficRouting != nil {
		v.errorf(p+".trafficRouting", "not supported: coalmine's clusters have no traffic router (weights are replica ratios)")
	}
	if c.CanaryService != "" || c.StableService != "" {
		v.errorf(p, "canaryService/stableService are not supported: the run engine creates one Service, %q", ActiveServiceName)
	}
	for i, st := range c.Steps {
		v.step(fmt.Sprintf("%s.steps[%d]", p, i), st)
	}
	if c.Analysis != nil {
		v.analysis(p+".analysis", &c.Analysis.RolloutAnalysis)
		if ss := c.Analysis.StartingStep; ss != nil && (*ss < 0 || int(*ss) > len(c.Steps)) {
			v.errorf(p+".analysis.startingStep", "must be in [0, %d] (the number of steps), got %d", len(c.Steps), *ss)
		}
	}
	v.nonNegative(p+".abortScaleDownDelaySeconds", c.AbortScaleDownDelaySeconds)
	v.nonNegative(p+".scaleDownDelaySeconds", c.ScaleDownDelaySeconds)
}

func (v *strategyValidator) step(p string, st v1alpha1.CanaryStep) {
	n := 0
	for _, set := range []bool{st.SetWeight != nil, st.Pause != nil, st.Experiment != nil, st.Analysis != nil,
		st.SetCanaryScale != nil, st.SetHeaderRoute != nil, st.SetMirrorRoute != nil, st.Plugin != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		v.errorf(p, "a step sets exactly one of setWeight, pause, analysis, setCanaryScale, experiment, setHeaderRoute, setMirrorRoute, plugin (got %d)", n)
	}
	switch {
	case st.SetWeight != nil && (*st.SetWeight < 0 || *st.SetWeight > 100):
		v.errorf(p+".setWeight", "must be in [0, 100], got %d", *st.SetWeight)
	case st.Pause != nil && st.Pause.Duration == nil:
		v.errorf(p+".pause", "a pause without duration waits for a manual promote, which coalmine never gives: set duration")
	case st.Pause != nil:
		if _, err := pauseDuration(*st.Pause.Duration); err != nil {
			v.errorf(p+".pause.duration", "%v", err)
		}
	case st.Analysis != nil:
		v.analysis(p+".analysis", st.Analysis)
	case st.SetCanaryScale != nil:
		v.errorf(p+".setCanaryScale", "requires trafficRouting (Argo: \"SetCanaryScale requires TrafficRouting to be set\"), which coalmine's clusters do not have")
	case st.SetHeaderRoute != nil || st.SetMirrorRoute != nil:
		v.errorf(p, "setHeaderRoute/setMirrorRoute need a traffic router, which coalmine's clusters do not have")
	case st.Experiment != nil || st.Plugin != nil:
		v.errorf(p, "experiment and plugin steps are not supported by coalmine")
	}
}

func (v *strategyValidator) blueGreen(b *v1alpha1.BlueGreenStrategy) {
	const p = "strategy.blueGreen"
	if b.ActiveService != ActiveServiceName {
		v.errorf(p+".activeService", "must be %q (the Service the run engine creates), got %q", ActiveServiceName, b.ActiveService)
	}
	if b.PreviewService != "" && b.PreviewService != PreviewServiceName {
		v.errorf(p+".previewService", "must be %q or empty (the run engine creates it), got %q", PreviewServiceName, b.PreviewService)
	}
	if b.PrePromotionAnalysis != nil {
		v.analysis(p+".prePromotionAnalysis", b.PrePromotionAnalysis)
	}
	if b.PostPromotionAnalysis != nil {
		v.analysis(p+".postPromotionAnalysis", b.PostPromotionAnalysis)
	}
	if b.AutoPromotionSeconds < 0 {
		v.errorf(p+".autoPromotionSeconds", "must not be negative")
	}
	v.nonNegative(p+".scaleDownDelaySeconds", b.ScaleDownDelaySeconds)
	v.nonNegative(p+".abortScaleDownDelaySeconds", b.AbortScaleDownDelaySeconds)
}

func (v *strategyValidator) nonNegative(path string, x *int32) {
	if x != nil && *x < 0 {
		v.errorf(path, "must not be negative")
	}
}

// analysis checks a reference to templates and the args it passes.
func (v *strategyValidator) analysis(p string, a *v1alpha1.RolloutAnalysis) {
	if len(a.Templates) == 0 {
		v.errorf(p+".templates", "at least one template is required")
	}
	declared := map[string]bool{}
	required := map[string]bool{}
	var tmplNames []string
	for i, ref := range a.Templates {
		rp := fmt.Sprintf("%s.templates[%d]", p, i)
		if ref.IsClusterScope() {
			v.errorf(rp+".clusterScope", "ClusterAnalysisTemplates are not supported: put the template in the strategy file")
		}
		t := v.template(ref.TemplateName)
		if t == nil {
			v.errorf(rp+".templateName", "no AnalysisTemplate %q in this file", ref.TemplateName)
			continue
		}
		v.used[ref.TemplateName] = true
		tmplNames = append(tmplNames, ref.TemplateName)
		for _, arg := range t.Spec.Args {
			declared[arg.Name] = true
			if arg.Value == nil && arg.ValueFrom == nil {
				required[arg.Name] = true
			}
		}
	}
	passed := map[string]bool{}
	for i, arg := range a.Args {
		ap := fmt.Sprintf("%s.args[%d]", p, i)
		passed[arg.Name] = true
		if len(tmplNames) == len(a.Templates) && !declared[arg.Name] {
			v.errorf(ap+".name", "arg %q is not declared by %s", arg.Name, strings.Join(tmplNames, ", "))
		}
		if arg.ValueFrom != nil {
			vf := arg.ValueFrom
			switch {
			case (vf.PodTemplateHashValue != nil) == (vf.FieldRef != nil):
				v.errorf(ap+".valueFrom", "set exactly one of podTemplateHashValue and fieldRef")
			case vf.PodTemplateHashValue != nil && *vf.PodTemplateHashValue != v1alpha1.Stable && *vf.PodTemplateHashValue != v1alpha1.Latest:
				v.errorf(ap+".valueFrom.podTemplateHashValue", "must be Stable or Latest, got %q", *vf.PodTemplateHashValue)
			case vf.FieldRef != nil && vf.FieldRef.FieldPath == "":
				v.errorf(ap+".valueFrom.fieldRef.fieldPath", "required")
			}
		}
	}
	for _, name := range sortedKeys(required) {
		if !passed[name] {
			v.errorf(p+".args", "template arg %q has no value: pass it here", name)
		}
	}
}

func (v *strategyValidator) template(name string) *v1alpha1.AnalysisTemplate {
	for i := range v.tmpls {
		if v.tmpls[i].Name == name {
			return &v.tmpls[i]
		}
	}
	return nil
}

func (v *strategyValidator) templates() {
	seen := map[string]bool{}
	for i, t := range v.tmpls {
		p := templatePath(i)
		if t.APIVersion != "argoproj.io/v1alpha1" {
			v.errorf(p+".apiVersion", "must be argoproj.io/v1alpha1, got %q", t.APIVersion)
		}
		if t.Kind != "AnalysisTemplate" {
			v.errorf(p+".kind", "must be AnalysisTemplate, got %q", t.Kind)
		}
		v.name(p+".metadata.name", t.Name)
		if seen[t.Name] {
			v.errorf(p+".metadata.name", "duplicate AnalysisTemplate %q", t.Name)
		}
		seen[t.Name] = true
		if t.Namespace != "" {
			v.errorf(p+".metadata.namespace", "must not be set: templates are applied in each strategy's namespace")
		}
		if len(t.Spec.Templates) > 0 {
			v.errorf(p+".spec.templates", "nested templates are not supported: list the metrics here")
		}
		v.metrics(p+".spec", &t.Spec)
	}
}

func (v *strategyValidator) metrics(p string, spec *v1alpha1.AnalysisTemplateSpec) {
	args := map[string]bool{}
	for i, a := range spec.Args {
		if a.Name == "" {
			v.errorf(fmt.Sprintf("%s.args[%d].name", p, i), "required")
		}
		args[a.Name] = true
	}
	if len(spec.Metrics) == 0 {
		v.errorf(p+".metrics", "at least one metric is required")
	}
	names := map[string]bool{}
	for i, m := range spec.Metrics {
		mp := fmt.Sprintf("%s.metrics[%d]", p, i)
		if m.Name == "" {
			v.errorf(mp+".name", "required")
		} else if names[m.Name] {
			v.errorf(mp+".name", "duplicate metric %q", m.Name)
		}
		names[m.Name] = true
		for _, f := range []struct{ field, val string }{{"interval", string(m.Interval)}, {"initialDelay", string(m.InitialDelay)}} {
			if f.val == "" || argRefRE.MatchString(f.val) {
				continue
			}
			if d, err := time.ParseDuration(f.val); err != nil || d < 0 {
				v.errorf(mp+"."+f.field, "invalid duration %q", f.val)
			}
		}
		v.provider(mp+".provider", m.Provider)
		for _, ref := range argRefRE.FindAllStringSubmatch(metricText(m), -1) {
			if !args[ref[1]] {
				v.errorf(mp, "uses {{args.%s}} but spec.args does not declare it", ref[1])
			}
		}
	}
	for i, dr := range spec.DryRun {
		if dr.MetricName != "*" && !names[dr.MetricName] {
			v.errorf(fmt.Sprintf("%s.dryRun[%d].metricName", p, i), "no metric %q", dr.MetricName)
		}
	}
}

// metricText is every string of a metric that Argo templates.
func metricText(m v1alpha1.Metric) string {
	parts := []string{string(m.Interval), string(m.InitialDelay), m.SuccessCondition, m.FailureCondition}
	for _, x := range []*intstr.IntOrString{m.Count, m.FailureLimit, m.InconclusiveLimit, m.ConsecutiveErrorLimit, m.ConsecutiveSuccessLimit} {
		if x != nil {
			parts = append(parts, x.String())
		}
	}
	if pr := m.Provider.Prometheus; pr != nil {
		parts = append(parts, pr.Address, pr.Query)
		for _, h := range pr.Headers {
			parts = append(parts, h.Value)
		}
	}
	return strings.Join(parts, "\n")
}

func (v *strategyValidator) provider(p string, pr v1alpha1.MetricProvider) {
	n := 0
	for _, set := range []bool{pr.Prometheus != nil, pr.Kayenta != nil, pr.Web != nil, pr.Datadog != nil, pr.Wavefront != nil,
		pr.NewRelic != nil, pr.Job != nil, pr.CloudWatch != nil, pr.Graphite != nil, pr.Influxdb != nil, pr.SkyWalking != nil, len(pr.Plugin) > 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		v.errorf(p, "set exactly one provider (got %d)", n)
	}
	if pr.Prometheus == nil {
		if n == 1 {
			v.errorf(p, "only the prometheus provider can run on coalmine's clusters")
		}
		return
	}
	if strings.TrimSpace(pr.Prometheus.Query) == "" {
		v.errorf(p+".prometheus.query", "required")
	}
	if a := pr.Prometheus.Address; a != "" && !argRefRE.MatchString(a) {
		if u, err := url.Parse(a); err != nil || u.Scheme == "" || u.Host == "" {
			v.errorf(p+".prometheus.address", "must be a URL or {{args.NAME}}, got %q", a)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
