package scenarios

import "time"

// Defaults. Every default of the Scenario API is applied by SetDefaults,
// and only there.
const (
	DefaultDayLength      = 10 * time.Minute
	DefaultScrapeInterval = 2 * time.Second
	DefaultWarmup         = 30 * time.Second
	DefaultReleaseTimeout = 5 * time.Minute
	DefaultCooldown       = 30 * time.Second
	DefaultRequestTimeout = 5 * time.Second
	DefaultWorkers        = 256
	DefaultUsers          = 1000
	DefaultReplicas       = 5
	DefaultAppVersion     = "v1"
	// Wildcard matches every strategy or release in an Expectation.
	Wildcard = "*"
)

// DefaultEndpoints is the request mix used when a scenario lists none:
// faultapp's shop API, browse-heavy, with a rarely called checkout.
func DefaultEndpoints() []Endpoint {
	return []Endpoint{
		{Name: "catalog", Method: "GET", Path: "/api/catalog", Weight: 55},
		{Name: "search", Method: "GET", Path: "/api/search", Weight: 30},
		{Name: "cart", Method: "POST", Path: "/api/cart", Weight: 12},
		{Name: "checkout", Method: "POST", Path: "/api/checkout", Weight: 3},
	}
}

// SetDefaults fills every unset field that has a default. It is idempotent
// and never overrides a set value.
func SetDefaults(s *Scenario) {
	setTrafficDefaults(&s.Spec.Traffic)
	setAppDefaults(&s.Spec.App)
	for i := range s.Spec.Releases {
		w := &s.Spec.Releases[i].When
		if w.At == nil && w.AfterPrevious == nil {
			zero := D(0)
			w.AfterPrevious = &zero
		}
	}
	if s.Spec.TimeScale == 0 && s.Spec.Traffic.DayLength.Duration > 0 {
		s.Spec.TimeScale = float64(24*time.Hour) / float64(s.Spec.Traffic.DayLength.Duration)
	}
	for _, d := range []struct {
		field *Duration
		value time.Duration
	}{
		{&s.Spec.ScrapeInterval, DefaultScrapeInterval},
		{&s.Spec.Warmup, DefaultWarmup},
		{&s.Spec.ReleaseTimeout, DefaultReleaseTimeout},
		{&s.Spec.Cooldown, DefaultCooldown},
	} {
		if d.field.Duration == 0 {
			*d.field = D(d.value)
		}
	}
	for i := range s.Spec.Expectations {
		e := &s.Spec.Expectations[i]
		setDefault(&e.Strategy, Wildcard)
		setDefault(&e.Release, Wildcard)
	}
}

func setTrafficDefaults(t *Traffic) {
	if t.Profile == "" {
		t.Profile = ProfileDiurnal
	}
	if t.DayLength.Duration == 0 {
		t.DayLength = D(DefaultDayLength)
	}
	if t.Profile == ProfileDiurnal && t.PeakHour == nil && len(t.Hourly) == 0 {
		noon := Clock(12, 0)
		t.PeakHour = &noon
	}
	if len(t.Endpoints) == 0 {
		t.Endpoints = DefaultEndpoints()
	}
	for i := range t.Endpoints {
		if t.Endpoints[i].Method == "" {
			t.Endpoints[i].Method = "GET"
		}
	}
	if t.Users.Count == 0 {
		t.Users.Count = DefaultUsers
	}
	if t.Timeout.Duration == 0 {
		t.Timeout = D(DefaultRequestTimeout)
	}
	if t.Workers == 0 {
		t.Workers = DefaultWorkers
	}
}

func setAppDefaults(a *App) {
	if a.Version == "" {
		a.Version = DefaultAppVersion
	}
	if a.Replicas == 0 {
		a.Replicas = DefaultReplicas
	}
	setDefault(&a.Resources.Requests.CPU, "10m")
	setDefault(&a.Resources.Requests.Memory, "32Mi")
	setDefault(&a.Resources.Limits.CPU, "200m")
	setDefault(&a.Resources.Limits.Memory, "128Mi")
}

func setDefault[T ~string](field *T, value T) {
	if *field == "" {
		*field = value
	}
}
