package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"k8s.io/apimachinery/pkg/util/intstr"

	sigyaml "sigs.k8s.io/yaml"
)

// Floors of Scale. A compressed strategy must still mean something with a
// real Prometheus scraping every ScrapeInterval.
const (
	// IntervalScrapes: an analysis interval spans at least this many
	// scrapes, so consecutive measurements see new samples.
	IntervalScrapes = 2
	// WindowScrapes: a PromQL range window spans at least this many
	// scrapes, so rate()/increase() have enough points.
	WindowScrapes = 4
	// MinScaleDownDelay keeps old pods around long enough for kube-proxy
	// to stop sending them traffic after a switch (seconds).
	MinScaleDownDelay = 10
	// MinProgressDeadline keeps progressDeadlineSeconds generous: pods must
	// start on a busy single-node cluster (seconds). Pods were seen to start
	// within 15 s on a loaded 2-core node; 60 s keeps a 4× margin and lets a
	// crash-looping canary (progress resets each time its pod comes back)
	// exceed the deadline within minutes rather than after five back-offs.
	MinProgressDeadline = 60
	// argoProgressDeadline is Argo's default progressDeadlineSeconds.
	argoProgressDeadline = 600
)

// Scale divides every duration of s by o.Factor and returns objects ready
// to apply, with every value that hit a floor listed in Clamps. Scaled
// durations are rounded to whole seconds (Argo counts pauses in seconds).
//
//   - canary steps pause.duration: ≥ 1s
//   - metric interval and initialDelay (if set): ≥ IntervalScrapes × scrape
//   - PromQL range windows [15m] and rangeQuery.step: ≥ WindowScrapes ×
//     scrape; subquery resolutions [1h:1m]: ≥ 1 × scrape; offsets: ≥ 1s
//   - abortScaleDownDelaySeconds, autoPromotionSeconds: ≥ 1s (0 keeps its
//     special meaning); scaleDownDelaySeconds: ≥ MinScaleDownDelay
//   - progressDeadlineSeconds (Argo default 600, a Rollout field): ≥
//     MinProgressDeadline
//
// Values written as {{args.X}} are left alone. s is not modified.
func Scale(s *Strategy, o ScaleOptions) (*ScaledStrategy, error) {
	if !(o.Factor >= 1) || math.IsInf(o.Factor, 0) {
		return nil, fmt.Errorf("scale %s: factor must be ≥ 1, got %g", s.Name, o.Factor)
	}
	if o.ScrapeInterval < time.Second {
		return nil, fmt.Errorf("scale %s: scrape interval must be ≥ 1s, got %s", s.Name, o.ScrapeInterval)
	}
	sc := &scaler{o: o}
	out := &ScaledStrategy{Name: s.Name, Spec: *s.Spec.DeepCopy()}
	if out.Spec.Canary != nil {
		sc.canary(out.Spec.Canary)
	}
	if out.Spec.BlueGreen != nil {
		sc.blueGreen(out.Spec.BlueGreen)
	}
	for _, t := range s.Templates {
		t := *t.DeepCopy()
		sc.template(&t)
		out.Templates = append(out.Templates, t)
	}
	pdIn := int64(argoProgressDeadline)
	if s.ProgressDeadlineSeconds != nil {
		pdIn = int64(*s.ProgressDeadlineSeconds)
	}
	pd := sc.seconds(pdIn, MinProgressDeadline, "rollout.spec.progressDeadlineSeconds",
		fmt.Sprintf("≥ %ds: pods must start on a busy node", MinProgressDeadline))
	out.ProgressDeadlineSeconds = int32(pd)
	out.ProgressDeadlineAbort = s.ProgressDeadlineAbort
	out.Clamps = sc.clamps
	return out, sc.err
}

// ScaleOptions returns the options the scenario's strategies are scaled
// with: its time scale and scrape interval.
func (s *Scenario) ScaleOptions() ScaleOptions {
	return ScaleOptions{Factor: s.Spec.TimeScale, ScrapeInterval: s.Spec.ScrapeInterval.Duration}
}

type scaler struct {
	o      ScaleOptions
	clamps []Clamp
	err    error
}

// scale divides d and applies floor, recording a clamp. Results are
// rounded to whole seconds.
func (sc *scaler) scale(d, floor time.Duration, path, orig, reason string) time.Duration {
	if d <= 0 {
		return d
	}
	raw := time.Duration(float64(d) / sc.o.Factor)
	if raw < floor {
		c := Clamp{Path: path, Original: orig, Scaled: raw.Round(time.Millisecond), Used: floor, Reason: reason}
		if !slices.Contains(sc.clamps, c) { // the same window may occur twice in a query
			sc.clamps = append(sc.clamps, c)
		}
		return floor
	}
	return max(raw.Round(time.Second), time.Second)
}

// seconds scales an integer number of seconds with a floor in seconds.
func (sc *scaler) seconds(x int64, floor int64, path, reason string) int64 {
	d := sc.scale(time.Duration(x)*time.Second, time.Duration(floor)*time.Second, path, strconv.FormatInt(x, 10), reason)
	return int64(d / time.Second)
}

// secondsField scales an optional field counting seconds in place.
func (sc *scaler) secondsField(x *int32, path string, floor int64, reason string) {
	if x != nil && *x > 0 {
		*x = int32(sc.seconds(int64(*x), floor, path, reason))
	}
}

func (sc *scaler) canary(c *v1alpha1.CanaryStrategy) {
	const p = "strategy.canary"
	for i, st := range c.Steps {
		if st.Pause == nil || st.Pause.Duration == nil {
			continue
		}
		path := fmt.Sprintf("%s.steps[%d].pause.duration", p, i)
		dur := st.Pause.Duration
		d, err := pauseDuration(*dur)
		if err != nil {
			sc.err = fmt.Errorf("%s: %w", path, err)
			continue
		}
		scaled := sc.scale(d, time.Second, path, dur.String(), "≥ 1s")
		if dur.Type == intstr.String {
			*dur = intstr.FromString(shortDuration(scaled))
		} else {
			*dur = intstr.FromInt32(int32(scaled / time.Second))
		}
	}
	sc.secondsField(c.AbortScaleDownDelaySeconds, p+".abortScaleDownDelaySeconds", 1, "≥ 1s (0 would mean never)")
	sc.secondsField(c.ScaleDownDelaySeconds, p+".scaleDownDelaySeconds", MinScaleDownDelay,
		fmt.Sprintf("≥ %ds: kube-proxy must stop routing to old pods", MinScaleDownDelay))
}

func (sc *scaler) blueGreen(b *v1alpha1.BlueGreenStrategy) {
	const p = "strategy.blueGreen"
	sc.secondsField(b.AbortScaleDownDelaySeconds, p+".abortScaleDownDelaySeconds", 1, "≥ 1s (0 would mean never)")
	sc.secondsField(&b.AutoPromotionSeconds, p+".autoPromotionSeconds", 1, "≥ 1s")
	sc.secondsField(b.ScaleDownDelaySeconds, p+".scaleDownDelaySeconds", MinScaleDownDelay,
		fmt.Sprintf("≥ %ds: kube-proxy must stop routing to old pods", MinScaleDownDelay))
}

func (sc *scaler) template(t *v1alpha1.AnalysisTemplate) {
	scrape := sc.o.ScrapeInterval
	for i := range t.Spec.Metrics {
		m := &t.Spec.Metrics[i]
		mp := fmt.Sprintf("AnalysisTemplate/%s: spec.metrics[%d]", t.Name, i)
		sc.durationField((*string)(&m.Interval), mp+".interval", IntervalScrapes*scrape, fmt.Sprintf("≥ %d×scrapeInterval", IntervalScrapes))
		sc.durationField((*string)(&m.InitialDelay), mp+".initialDelay", IntervalScrapes*scrape, fmt.Sprintf("≥ %d×scrapeInterval", IntervalScrapes))
		prom := m.Provider.Prometheus
		if prom == nil {
			continue
		}
		prom.Query = sc.promQL(prom.Query, mp+".provider.prometheus.query")
		if rq := prom.RangeQuery; rq != nil {
			sc.durationField((*string)(&rq.Step), mp+".provider.prometheus.rangeQuery.step", WindowScrapes*scrape,
				fmt.Sprintf("≥ %d×scrapeInterval", WindowScrapes))
		}
		if sc.o.PrometheusAddress != "" {
			prom.Address = sc.o.PrometheusAddress
		}
	}
}

// durationField scales a Go duration string field ("30s") in place.
func (sc *scaler) durationField(f *string, path string, floor time.Duration, reason string) {
	s := *f
	if s == "" || argRefRE.MatchString(s) {
		return
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		sc.err = fmt.Errorf("%s: invalid duration %q", path, s)
		return
	}
	if d > 0 {
		*f = shortDuration(sc.scale(d, floor, path, s, reason))
	}
}

// PromQL durations: a number and a unit, possibly several ("1h30m").
const promDur = `(?:\d+(?:ms|[smhdwy]))+`

var (
	rangeRE  = regexp.MustCompile(`\[(\s*` + promDur + `\s*)(?::(\s*(?:` + promDur + `)?\s*))?\]`)
	offsetRE = regexp.MustCompile(`(\boffset\s+)(-?)(` + promDur + `)`)
	durPart  = regexp.MustCompile(`(\d+)(ms|[smhdwy])`)
)

// promQL scales range windows, subquery resolutions and offsets in q.
func (sc *scaler) promQL(q, path string) string {
	scrape := sc.o.ScrapeInterval
	q = rangeRE.ReplaceAllStringFunc(q, func(m string) string {
		g := rangeRE.FindStringSubmatch(m)
		w := strings.TrimSpace(g[1])
		out := "[" + shortDuration(sc.scale(parsePromDuration(w), WindowScrapes*scrape, path+" ["+w+"]", w,
			fmt.Sprintf("≥ %d×scrapeInterval", WindowScrapes)))
		if strings.Contains(m, ":") {
			out += ":"
			if res := strings.TrimSpace(g[2]); res != "" {
				out += shortDuration(sc.scale(parsePromDuration(res), scrape, path+" [:"+res+"]", res, "≥ 1×scrapeInterval"))
			}
		}
		return out + "]"
	})
	return offsetRE.ReplaceAllStringFunc(q, func(m string) string {
		g := offsetRE.FindStringSubmatch(m)
		d := sc.scale(parsePromDuration(g[3]), time.Second, path+" offset "+g[3], g[3], "≥ 1s")
		return g[1] + g[2] + shortDuration(d)
	})
}

// parsePromDuration parses a Prometheus duration such as 1h30m or 2d.
func parsePromDuration(s string) time.Duration {
	units := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "y": 365 * 24 * time.Hour}
	var d time.Duration
	for _, g := range durPart.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.ParseInt(g[1], 10, 64)
		d += time.Duration(n) * units[g[2]]
	}
	return d
}

// pauseDuration interprets a pause duration the way Argo does
// (RolloutPause.DurationSeconds): an integer is seconds, a string is an
// integer of seconds or a Go duration.
func pauseDuration(v intstr.IntOrString) (time.Duration, error) {
	if v.Type == intstr.Int {
		if v.IntVal < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return time.Duration(v.IntVal) * time.Second, nil
	}
	if n, err := strconv.ParseInt(v.StrVal, 10, 32); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(v.StrVal)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q (want seconds or e.g. 13m)", v.StrVal)
	}
	return d, nil
}

// YAML renders the scaled strategy as a multi-document file in the same
// layout as a strategy file: a Rollout.spec fragment (progressDeadline
// fields and strategy) followed by the AnalysisTemplates.
func (s *ScaledStrategy) YAML() ([]byte, error) {
	var b bytes.Buffer
	head := rolloutFragment{Strategy: s.Spec, ProgressDeadlineSeconds: &s.ProgressDeadlineSeconds,
		ProgressDeadlineAbort: s.ProgressDeadlineAbort}
	docs := []any{head}
	for _, t := range s.Templates {
		docs = append(docs, t)
	}
	for i, d := range docs {
		y, err := sigyaml.Marshal(d)
		if err != nil {
			return nil, fmt.Errorf("strategy %s: %w", s.Name, err)
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes(), nil
}
