package loadgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Population is the simulated user population: Count users whose activity
// follows a Zipf-like law, the k-th most active user sending a share of
// requests proportional to k^−Skew (Skew 0 = uniform). Which user ID is
// the k-th most active is a seeded shuffle.
type Population struct {
	Count int
	Skew  float64
}

// DefaultPopulation is 1000 users with Zipf exponent 1.1.
func DefaultPopulation() Population { return Population{Count: 1000, Skew: 1.1} }

// Validate reports a non-positive count or a negative skew.
func (p Population) Validate() error {
	if p.Count < 1 {
		return fmt.Errorf("users: count must be ≥ 1, got %d", p.Count)
	}
	if !(p.Skew >= 0) || math.IsInf(p.Skew, 0) {
		return fmt.Errorf("users: skew must be ≥ 0, got %g", p.Skew)
	}
	return nil
}

// UserID returns the ID of user i (0-based) in a population of count:
// "u" and i zero-padded to at least 5 digits ("u00042").
func UserID(i, count int) string {
	width := max(5, len(fmt.Sprint(count-1)))
	return fmt.Sprintf("u%0*d", width, i)
}

// Users draws user IDs from a Population. It is immutable and safe for
// concurrent use; Draw is a pure function of its argument.
type Users struct {
	ids []string  // ids[k] is the (k+1)-th most active user
	cdf []float64 // cdf[k] = share of users 0..k, cdf[last] = 1
}

// NewUsers builds the population's activity law; seed decides which IDs
// are the most active.
func NewUsers(p Population, seed int64) (*Users, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	u := &Users{ids: make([]string, p.Count), cdf: make([]float64, p.Count)}
	var sum float64
	for k := range p.Count {
		sum += math.Pow(float64(k+1), -p.Skew)
		u.cdf[k] = sum
	}
	for k := range u.cdf {
		u.cdf[k] /= sum
	}
	u.cdf[p.Count-1] = 1
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed0fa11))
	for k, i := range rng.Perm(p.Count) {
		u.ids[k] = UserID(i, p.Count)
	}
	return u, nil
}

// Draw maps a uniform variate x in [0, 1) to a user ID.
func (u *Users) Draw(x float64) string {
	k := sort.SearchFloat64s(u.cdf, x)
	if k < len(u.cdf) && u.cdf[k] == x {
		k++ // cdf[k] is the upper bound of user k's interval, exclusive
	}
	return u.ids[min(k, len(u.ids)-1)]
}

// Share returns the expected share of requests of the k-th most active
// user (0-based) and its ID.
func (u *Users) Share(k int) (id string, share float64) {
	prev := 0.0
	if k > 0 {
		prev = u.cdf[k-1]
	}
	return u.ids[k], u.cdf[k] - prev
}

// Len returns the number of users.
func (u *Users) Len() int { return len(u.ids) }
