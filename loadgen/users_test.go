package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestUserID(t *testing.T) {
	for _, tt := range []struct {
		i, count int
		want     string
	}{{42, 1000, "u00042"}, {0, 1, "u00000"}, {123456, 200000, "u123456"}, {7, 1000000, "u000007"}} {
		if got := UserID(tt.i, tt.count); got != tt.want {
			t.Errorf("UserID(%d, %d) = %q, want %q", tt.i, tt.count, got, tt.want)
		}
	}
}

func drawCounts(u *Users, n int, seed uint64) map[string]int {
	rng := rand.New(rand.NewPCG(seed, 1))
	counts := map[string]int{}
	for range n {
		counts[u.Draw(rng.Float64())]++
	}
	return counts
}

func TestUsersSkew(t *testing.T) {
	const n = 200000
	tests := []struct {
		name string
		pop  Population
	}{
		{"uniform", Population{Count: 50, Skew: 0}},
		{"zipf 1.1", Population{Count: 1000, Skew: 1.1}},
		{"zipf 2", Population{Count: 100, Skew: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := NewUsers(tt.pop, 7)
			if err != nil {
				t.Fatal(err)
			}
			counts := drawCounts(u, n, 99)
			var total float64
			for k := range min(u.Len(), 10) {
				id, share := u.Share(k)
				total += share
				want := share * n
				tol := 5*math.Sqrt(want) + 1
				if got := float64(counts[id]); math.Abs(got-want) > tol {
					t.Errorf("rank %d (%s): %v draws, want %.0f ± %.0f", k, id, got, want, tol)
				}
			}
			if tt.pop.Skew == 0 && !near(total, 10.0/50, 1e-9) {
				t.Errorf("uniform top-10 share = %g, want 0.2", total)
			}
			if tt.pop.Skew > 0 {
				_, top := u.Share(0)
				_, second := u.Share(1)
				if want := math.Pow(2, tt.pop.Skew); !near(top/second, want, 1e-9) {
					t.Errorf("share(rank 1)/share(rank 2) = %g, want 2^s = %g", top/second, want)
				}
			}
		})
	}
}

func TestUsersDeterministic(t *testing.T) {
	pop := Population{Count: 500, Skew: 1.2}
	a, _ := NewUsers(pop, 42)
	b, _ := NewUsers(pop, 42)
	c, _ := NewUsers(pop, 43)
	same, differ := true, false
	for k := range pop.Count {
		ida, sa := a.Share(k)
		idb, sb := b.Share(k)
		idc, _ := c.Share(k)
		same = same && ida == idb && sa == sb
		differ = differ || ida != idc
	}
	if !same {
		t.Error("same seed gave different populations")
	}
	if !differ {
		t.Error("different seeds gave the same ranking of users")
	}
	ids := make([]string, pop.Count)
	for k := range ids {
		ids[k], _ = a.Share(k)
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != pop.Count {
		t.Error("user IDs are not distinct")
	}
}

func TestUsersDrawEdges(t *testing.T) {
	u, _ := NewUsers(Population{Count: 4}, 1)
	first, _ := u.Share(0)
	last, _ := u.Share(3)
	second, _ := u.Share(1)
	for _, tt := range []struct {
		x    float64
		want string
	}{{0, first}, {0.25, second}, {math.Nextafter(1, 0), last}} {
		if got := u.Draw(tt.x); got != tt.want {
			t.Errorf("Draw(%g) = %s, want %s", tt.x, got, tt.want)
		}
	}
}

func TestPopulationValidate(t *testing.T) {
	for _, p := range []Population{{Count: 0}, {Count: 10, Skew: -1}, {Count: 10, Skew: math.NaN()}} {
		if _, err := NewUsers(p, 1); err == nil {
			t.Errorf("NewUsers(%+v) accepted", p)
		}
	}
}
