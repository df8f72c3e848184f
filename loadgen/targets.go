package loadgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Endpoint is one entry of the request mix.
type Endpoint struct {
	// Name identifies the endpoint in records (e.g. "checkout").
	Name string
	// Method is the HTTP method; "" means GET.
	Method string
	// Path starts with '/' and may carry a fixed query.
	Path string
	// Queries, when set, are query strings ("q=boots") of which one, drawn
	// uniformly, is appended to Path per request.
	Queries []string
	// Body is sent with the request (Content-Type: application/json).
	Body []byte
	// Weight is the relative share of requests (> 0).
	Weight float64
}

// Mix is a weighted set of endpoints.
type Mix []Endpoint

// DefaultMix is the request mix for faultapp's shop API: browsing the
// catalog is popular, checking out rare-ish.
func DefaultMix() Mix {
	return Mix{
		{Name: "catalog", Method: http.MethodGet, Path: "/api/catalog",
			Queries: []string{"page=1", "page=1", "page=1", "page=2", "page=3"}, Weight: 50},
		{Name: "search", Method: http.MethodGet, Path: "/api/search",
			Queries: []string{"q=lamp", "q=kettle", "q=backpack", "q=outdoor", "q=quiet+mug", "q=headphones"}, Weight: 20},
		{Name: "cart-view", Method: http.MethodGet, Path: "/api/cart", Weight: 15},
		{Name: "cart-add", Method: http.MethodPost, Path: "/api/cart",
			Body: []byte(`{"sku":"SKU-0042","qty":1}`), Weight: 10},
		{Name: "checkout", Method: http.MethodPost, Path: "/api/checkout", Body: []byte(`{}`), Weight: 5},
	}
}

var endpointName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Validate reports every problem of the mix with its index.
func (m Mix) Validate() error {
	if len(m) == 0 {
		return errors.New("mix: no endpoints")
	}
	var errs []error
	seen := map[string]bool{}
	for i, e := range m {
		switch {
		case !endpointName.MatchString(e.Name):
			errs = append(errs, fmt.Errorf("mix[%d].name %q: want lower case letters, digits, '.', '_', '-'", i, e.Name))
		case seen[e.Name]:
			errs = append(errs, fmt.Errorf("mix[%d].name %q: duplicate", i, e.Name))
		}
		seen[e.Name] = true
		if !strings.HasPrefix(e.Path, "/") || strings.ContainsAny(e.Path, "# \t\r\n") {
			errs = append(errs, fmt.Errorf("mix[%d].path %q: want an absolute path without '#' or spaces", i, e.Path))
		}
		if !(e.Weight > 0) {
			errs = append(errs, fmt.Errorf("mix[%d].weight: must be > 0, got %g", i, e.Weight))
		}
	}
	return errors.Join(errs...)
}

// Targets generates the attack's requests: endpoints drawn by weight, users
// drawn from the population, both from one seeded generator, so the
// sequence of targets is the same for the same seed. Safe for concurrent
// use (vegeta's workers call it concurrently).
type Targets struct {
	base    string
	mix     Mix
	cum     []float64 // cumulative weights, normalised to 1
	users   *Users
	headers []http.Header // per endpoint without body: shared, never mutated

	mu  sync.Mutex
	rng *rand.Rand
}

// NewTargets returns the targets for base (scheme://host[:port], already
// validated with ValidateTarget).
func NewTargets(base string, mix Mix, users *Users, seed int64) (*Targets, error) {
	if err := mix.Validate(); err != nil {
		return nil, err
	}
	t := &Targets{
		base:  strings.TrimSuffix(base, "/"),
		mix:   mix,
		cum:   make([]float64, len(mix)),
		users: users,
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x7a26e75)),
	}
	var sum float64
	for i, e := range mix {
		sum += e.Weight
		t.cum[i] = sum
	}
	for i := range t.cum {
		t.cum[i] /= sum
	}
	return t, nil
}

// Targeter returns t as a vegeta.Targeter.
func (t *Targets) Targeter() vegeta.Targeter { return t.Next }

// Next fills tgt with the next request. The endpoint name and user travel
// in the URL's fragment (never sent on the wire) so that each vegeta
// result can be attributed; see parseTag.
func (t *Targets) Next(tgt *vegeta.Target) error {
	if tgt == nil {
		return vegeta.ErrNilTarget
	}
	i, query, user := t.Draw()
	e := &t.mix[i]
	tgt.Method = e.Method
	if tgt.Method == "" {
		tgt.Method = http.MethodGet
	}
	tgt.URL = t.url(e, query, user)
	tgt.Body = e.Body
	tgt.Header = http.Header{userHeader: {user}}
	if len(e.Body) > 0 {
		tgt.Header[contentTypeHeader] = jsonContentType
	}
	return nil
}

// Draw returns the next request's endpoint (an index into the mix), query
// and user: the sequence Next sends, for callers that simulate requests
// instead of sending them.
func (t *Targets) Draw() (endpoint int, query, user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	endpoint = t.pick(t.rng.Float64())
	if e := &t.mix[endpoint]; len(e.Queries) > 0 {
		query = e.Queries[t.rng.IntN(len(e.Queries))]
	}
	return endpoint, query, t.users.Draw(t.rng.Float64())
}

// pick returns the endpoint index for a uniform variate x in [0, 1).
func (t *Targets) pick(x float64) int {
	for i, c := range t.cum {
		if x < c {
			return i
		}
	}
	return len(t.cum) - 1
}

func (t *Targets) url(e *Endpoint, query, user string) string {
	var b strings.Builder
	b.Grow(len(t.base) + len(e.Path) + len(query) + len(e.Name) + len(user) + 16)
	b.WriteString(t.base)
	b.WriteString(e.Path)
	if query != "" {
		if strings.IndexByte(e.Path, '?') >= 0 {
			b.WriteByte('&')
		} else {
			b.WriteByte('?')
		}
		b.WriteString(query)
	}
	writeTag(&b, e.Name, user)
	return b.String()
}

// Header names (canonical form).
const (
	userHeader        = "X-User-Id"
	versionHeader     = "X-Coalmine-Version"
	contentTypeHeader = "Content-Type"
)

var jsonContentType = []string{"application/json"}
