package score

import (
	"fmt"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// t0 is the start of every hand-built run.
var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// at is t0 plus s seconds.
func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// phase is a stretch of hand-built traffic: rps requests per second, spread
// evenly; request i of a second goes to the canary when i%100 < share, so a
// share of 10 gives exactly 10 % of each second's 100 requests.
type phase struct {
	from, to float64 // seconds after t0
	canary   string  // version of the canary ("" = none)
	stable   string
	share    int // canary share, % of requests
}

// traffic builds the records of a run made of phases at 100 rps. failEvery
// maps a version to n: every n-th request that version serves fails (0 =
// never). Users cycle through 50 ids; latency is 10 ms for the stable,
// 30 ms for the canary.
func traffic(failEvery map[string]int, phases ...phase) []loadgen.Record {
	var recs []loadgen.Record
	served := map[string]int{}
	n := 0
	for _, p := range phases {
		for s := p.from; s < p.to; s++ {
			for i := range 100 {
				v, lat := p.stable, 10*time.Millisecond
				if i < p.share {
					v, lat = p.canary, 30*time.Millisecond
				}
				served[v]++
				r := loadgen.Record{
					Start:    at(s).Add(time.Duration(i) * 10 * time.Millisecond),
					Endpoint: "catalog", User: fmt.Sprintf("u%02d", n%50),
					Status: 200, Latency: lat, Version: v,
				}
				if k := failEvery[v]; k > 0 && served[v]%k == 0 {
					r.Status, r.Error = 500, "500 Internal Server Error"
				}
				recs = append(recs, r)
				n++
			}
		}
	}
	return recs
}

func ev(s float64, kind results.EventKind, release int) results.Event {
	return results.Event{Time: at(s), Kind: kind, Release: release}
}

func weightEv(s float64, release, w int) results.Event {
	e := ev(s, results.EventWeight, release)
	e.Weight = &w
	return e
}

func ptr[T any](v T) *T { return &v }
