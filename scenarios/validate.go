package scenarios

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Limits of the Scenario API (sanity bounds, not capacity promises).
const (
	MaxRPS          = 20000
	MaxReplicas     = 100
	MaxStrategies   = 8
	MinDayLength    = 10 * time.Second
	MinScrape       = time.Second
	MaxScrape       = time.Minute
	maxNameLength   = 40
	maxVersionChars = 63
)

var (
	nameRE    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	versionRE = regexp.MustCompile(`^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$`)
)

// validator collects field errors; lines come from the decoder's index.
type validator struct {
	d *decoder
}

func (v *validator) errorf(path, format string, args ...any) {
	v.d.errs = append(v.d.errs, &FieldError{File: v.d.file, Line: v.d.line(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Validate checks a defaulted scenario and returns every problem as an
// ErrorList (nil when valid). Lines are unknown (0) for scenarios built in
// Go; Load and Parse report lines. Strategy references are not resolved.
func Validate(s *Scenario) error {
	v := &validator{d: newDecoder(s.Source)}
	v.scenario(s)
	v.expectations(s)
	return v.d.errs.errOrNil()
}

func (v *validator) scenario(s *Scenario) {
	if s.APIVersion != APIVersion {
		v.errorf("apiVersion", "must be %q, got %q", APIVersion, s.APIVersion)
	}
	if s.Kind != Kind {
		v.errorf("kind", "must be %q, got %q", Kind, s.Kind)
	}
	v.name("metadata.name", s.Metadata.Name)
	v.traffic(&s.Spec.Traffic)
	v.app(&s.Spec.App)
	v.releases(s)
	sp := &s.Spec
	if sp.TimeScale < 1 || sp.TimeScale > 100000 || math.IsNaN(sp.TimeScale) {
		v.errorf("spec.timeScale", "must be in [1, 100000] (simulated seconds per real second), got %g", sp.TimeScale)
	}
	if d := sp.ScrapeInterval.Duration; d < MinScrape || d > MaxScrape {
		v.errorf("spec.scrapeInterval", "must be in [%s, %s], got %s", MinScrape, MaxScrape, sp.ScrapeInterval)
	}
	if sp.Warmup.Duration < 0 {
		v.errorf("spec.warmup", "must not be negative")
	}
	if sp.Cooldown.Duration < 0 {
		v.errorf("spec.cooldown", "must not be negative")
	}
	if sp.ReleaseTimeout.Duration <= 0 {
		v.errorf("spec.releaseTimeout", "must be positive")
	}
	if len(sp.Strategies) == 0 {
		v.errorf("spec.strategies", "at least one strategy is required")
	}
	if len(sp.Strategies) > MaxStrategies {
		v.errorf("spec.strategies", "at most %d strategies, got %d", MaxStrategies, len(sp.Strategies))
	}
}

func (v *validator) name(path, name string) {
	switch {
	case name == "":
		v.errorf(path, "required")
	case len(name) > maxNameLength || !nameRE.MatchString(name):
		v.errorf(path, "must be lower case letters, digits and '-', at most %d characters, got %q", maxNameLength, name)
	}
}

func (v *validator) traffic(t *Traffic) {
	const p = "spec.traffic"
	v.profile(t)
	if t.DayLength.Duration < MinDayLength || t.DayLength.Duration > 24*time.Hour {
		v.errorf(p+".dayLength", "must be in [%s, 24h], got %s", MinDayLength, t.DayLength)
	}
	v.endpoints(t.Endpoints)
	if t.Users.Count < 1 || t.Users.Count > 10_000_000 {
		v.errorf(p+".users.count", "must be in [1, 10000000], got %d", t.Users.Count)
	}
	if t.Users.Skew != 0 && !(t.Users.Skew > 1 && t.Users.Skew <= 10) {
		v.errorf(p+".users.skew", "must be 0 (uniform) or in (1, 10] (Zipf exponent), got %g", t.Users.Skew)
	}
	if t.Timeout.Duration <= 0 || t.Timeout.Duration > time.Minute {
		v.errorf(p+".timeout", "must be in (0, 1m], got %s", t.Timeout)
	}
	if t.Workers < 1 || t.Workers > 10000 {
		v.errorf(p+".workers", "must be in [1, 10000], got %d", t.Workers)
	}
}

// profile checks the rates and fields the traffic profile uses, and that
// it sets none it does not use.
func (v *validator) profile(t *Traffic) {
	const p = "spec.traffic"
	rate := func(field string, x float64, required bool) {
		switch {
		case math.IsNaN(x) || x < 0 || x > MaxRPS:
			v.errorf(p+"."+field, "must be in [0, %d], got %g", MaxRPS, x)
		case required && x == 0:
			v.errorf(p+"."+field, "required for profile %s", t.Profile)
		}
	}
	forbid := func(field string, set bool) {
		if set {
			v.errorf(p+"."+field, "not used by profile %s", t.Profile)
		}
	}
	switch t.Profile {
	case ProfileDiurnal:
		rate("troughRPS", t.TroughRPS, false)
		rate("peakRPS", t.PeakRPS, true)
		if t.TroughRPS > t.PeakRPS && t.PeakRPS > 0 {
			v.errorf(p+".troughRPS", "must not exceed peakRPS (%g > %g)", t.TroughRPS, t.PeakRPS)
		}
		forbid("rps", t.RPS != 0)
		forbid("changeAt", t.ChangeAt != nil)
		forbid("spikeDuration", t.SpikeDuration.Duration != 0)
		if len(t.Hourly) > 0 && t.PeakHour != nil {
			v.errorf(p+".peakHour", "not used with hourly (the curve sets the peak)")
		}
		v.hourly(t.Hourly)
	case ProfileConstant:
		rate("rps", t.RPS, true)
		forbid("troughRPS", t.TroughRPS != 0)
		forbid("peakRPS", t.PeakRPS != 0)
		forbid("changeAt", t.ChangeAt != nil)
		forbid("spikeDuration", t.SpikeDuration.Duration != 0)
	case ProfileStep, ProfileSpike:
		rate("rps", t.RPS, true)
		rate("peakRPS", t.PeakRPS, true)
		forbid("troughRPS", t.TroughRPS != 0)
		if t.ChangeAt == nil {
			v.errorf(p+".changeAt", "required for profile %s", t.Profile)
		}
		if t.Profile == ProfileSpike && t.SpikeDuration.Duration <= 0 {
			v.errorf(p+".spikeDuration", "required (positive) for profile spike")
		}
		forbid("spikeDuration", t.Profile == ProfileStep && t.SpikeDuration.Duration != 0)
	default:
		v.errorf(p+".profile", "must be one of diurnal, constant, step, spike, got %q", t.Profile)
	}
	if t.Profile != ProfileDiurnal {
		forbid("hourly", len(t.Hourly) > 0)
		forbid("peakHour", t.PeakHour != nil)
	}
}

func (v *validator) hourly(h []float64) {
	if len(h) == 0 {
		return
	}
	if len(h) != 24 {
		v.errorf("spec.traffic.hourly", "must have 24 values (one per hour from 00:00), got %d", len(h))
		return
	}
	peak := 0.0
	for i, x := range h {
		if math.IsNaN(x) || x < 0 || x > 1 {
			v.errorf(fmt.Sprintf("spec.traffic.hourly[%d]", i), "must be in [0, 1], got %g", x)
		}
		peak = max(peak, x)
	}
	if peak == 0 {
		v.errorf("spec.traffic.hourly", "all values are 0; use profile constant for flat traffic")
	}
}

var methods = map[string]bool{http.MethodGet: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodDelete: true, http.MethodPatch: true, http.MethodHead: true}

func (v *validator) endpoints(eps []Endpoint) {
	seen := map[string]bool{}
	for i, e := range eps {
		p := fmt.Sprintf("spec.traffic.endpoints[%d]", i)
		v.name(p+".name", e.Name)
		if seen[e.Name] && e.Name != "" {
			v.errorf(p+".name", "duplicate endpoint %q", e.Name)
		}
		seen[e.Name] = true
		if !methods[e.Method] {
			v.errorf(p+".method", "must be one of GET, POST, PUT, DELETE, PATCH, HEAD, got %q", e.Method)
		}
		if len(e.Path) == 0 || e.Path[0] != '/' {
			v.errorf(p+".path", "must start with '/', got %q", e.Path)
		}
		if !(e.Weight > 0) || math.IsInf(e.Weight, 0) {
			v.errorf(p+".weight", "must be positive, got %g", e.Weight)
		}
	}
}

func (v *validator) app(a *App) {
	const p = "spec.app"
	v.version(p+".version", a.Version)
	if a.Replicas < 1 || a.Replicas > MaxReplicas {
		v.errorf(p+".replicas", "must be in [1, %d], got %d", MaxReplicas, a.Replicas)
	}
	v.resources(p+".resources", a.Resources)
	v.fault(p+".baseline", a.Baseline)
}

func (v *validator) version(path, s string) {
	if s == "" {
		v.errorf(path, "required")
	} else if len(s) > maxVersionChars || !versionRE.MatchString(s) {
		v.errorf(path, "must be a label value (letters, digits, '-', '_', '.'; at most 63), got %q", s)
	}
}

func (v *validator) resources(p string, r Resources) {
	q := func(path string, qs Quantity) *resource.Quantity {
		s := string(qs)
		x, err := resource.ParseQuantity(s)
		if err != nil {
			v.errorf(path, "invalid quantity %q", s)
			return nil
		}
		if x.Sign() <= 0 {
			v.errorf(path, "must be positive, got %q", s)
			return nil
		}
		return &x
	}
	rc, rm := q(p+".requests.cpu", r.Requests.CPU), q(p+".requests.memory", r.Requests.Memory)
	lc, lm := q(p+".limits.cpu", r.Limits.CPU), q(p+".limits.memory", r.Limits.Memory)
	if rc != nil && lc != nil && rc.Cmp(*lc) > 0 {
		v.errorf(p+".requests.cpu", "exceeds limits.cpu (%s > %s)", r.Requests.CPU, r.Limits.CPU)
	}
	if rm != nil && lm != nil && rm.Cmp(*lm) > 0 {
		v.errorf(p+".requests.memory", "exceeds limits.memory (%s > %s)", r.Requests.Memory, r.Limits.Memory)
	}
}

func (v *validator) releases(s *Scenario) {
	if len(s.Spec.Releases) == 0 {
		v.errorf("spec.releases", "at least one release is required")
	}
	seen := map[string]bool{s.Spec.App.Version: true}
	for i, r := range s.Spec.Releases {
		p := fmt.Sprintf("spec.releases[%d]", i)
		v.version(p+".version", r.Version)
		if seen[r.Version] && r.Version != "" {
			v.errorf(p+".version", "duplicate version %q (versions must differ from each other and from spec.app.version)", r.Version)
		}
		seen[r.Version] = true
		v.fault(p+".fault", r.Fault)
		switch w := r.When; {
		case w.At != nil && w.AfterPrevious != nil:
			v.errorf(p+".when", "set at most one of at and afterPrevious")
		case w.AfterPrevious != nil && w.AfterPrevious.Duration < 0:
			v.errorf(p+".when.afterPrevious", "must not be negative")
		}
	}
}

// fault validates a fault with faultapp's own decoder (see faultcheck.go).
func (v *validator) fault(path string, f Fault) {
	if f.IsZero() {
		return
	}
	for _, p := range checkFault(f) {
		fp, line := path, p.Line
		if p.Path != "" {
			fp = path + "." + p.Path
		}
		if line == 0 {
			line = v.d.line(fp)
		}
		v.d.errs = append(v.d.errs, &FieldError{File: v.d.file, Line: line, Path: fp, Msg: p.Msg})
	}
}

func (v *validator) expectations(s *Scenario) {
	strategies := map[string]bool{Wildcard: true}
	for _, ref := range s.Spec.Strategies {
		strategies[strategyName(ref)] = true
	}
	releases := map[string]bool{Wildcard: true}
	for _, r := range s.Spec.Releases {
		releases[r.Version] = true
	}
	for i := range s.Spec.Expectations {
		e := &s.Spec.Expectations[i]
		p := fmt.Sprintf("spec.expectations[%d]", i)
		e.Line = v.d.lineOf(p)
		if !strategies[e.Strategy] {
			v.errorf(p+".strategy", "no strategy %q in spec.strategies", e.Strategy)
		}
		if !releases[e.Release] {
			v.errorf(p+".release", "no release %q in spec.releases", e.Release)
		}
		if e.Caught == nil && e.Promoted == nil && e.MaxTimeToDetect == nil && e.MaxTimeToRestore == nil &&
			e.MaxFailedRequests == nil && e.MaxUsersAffected == nil {
			v.errorf(p, "checks nothing: set caught, promoted, maxTimeToDetect, maxTimeToRestore, maxFailedRequests or maxUsersAffected")
		}
		if e.Caught != nil && e.Promoted != nil && *e.Caught && *e.Promoted {
			v.errorf(p+".promoted", "a release cannot be both caught and promoted")
		}
		if e.MaxTimeToDetect != nil && e.Caught != nil && !*e.Caught {
			v.errorf(p+".maxTimeToDetect", "contradicts caught: false")
		}
		for _, d := range []struct {
			f string
			x *Duration
		}{{"maxTimeToDetect", e.MaxTimeToDetect}, {"maxTimeToRestore", e.MaxTimeToRestore}} {
			if d.x != nil && d.x.Duration <= 0 {
				v.errorf(p+"."+d.f, "must be positive")
			}
		}
		for _, n := range []struct {
			f string
			x *int
		}{{"maxFailedRequests", e.MaxFailedRequests}, {"maxUsersAffected", e.MaxUsersAffected}} {
			if n.x != nil && *n.x < 0 {
				v.errorf(p+"."+n.f, "must not be negative")
			}
		}
	}
}
