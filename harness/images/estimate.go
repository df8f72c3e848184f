package images

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/coalmine/coalmine/internal/atomicfile"
)

// referenceSeconds is how long each target took in a cold build on a
// 2-core machine with 2 jobs (measured 2026-12-02 with empty Go caches:
// the Go builds share the cores, so each took longer than alone).
// Estimates use it, scaled to this machine's cores, until a build here has
// timed the target.
var referenceSeconds = map[string]float64{
	nodeRootfs: 227, kubeProxyRootfs: 141,
	kubernetesArtifact: 745, etcdImage: 129, corednsImage: 236, crictlBinary: 91, pauseImage: 1,
	kubeAPIServer: 1, kubeControllerMgr: 1, kubeScheduler: 1, kubeProxy: 5,
	nodeImage: 46, prometheusImage: 574, argoImage: 327, faultappImage: 2,
}

// timesFile keeps the last measured build time of each target.
const timesFile = "build-times.json"

// buildTimes are per-target build durations: measured on this machine
// where known, else the reference scaled to its cores.
type buildTimes struct {
	mu       sync.Mutex
	path     string
	measured map[string]float64
}

func loadBuildTimes(cacheDir string) *buildTimes {
	bt := &buildTimes{path: filepath.Join(cacheDir, timesFile), measured: map[string]float64{}}
	b, err := os.ReadFile(bt.path)
	if err == nil {
		_ = json.Unmarshal(b, &bt.measured) // a damaged file only loses estimates
	}
	return bt
}

// estimate returns the expected duration of target name and whether it
// was measured on this machine.
func (bt *buildTimes) estimate(name string) (time.Duration, bool) {
	bt.mu.Lock()
	defer bt.mu.Unlock()
	if s, ok := bt.measured[name]; ok {
		return time.Duration(s * float64(time.Second)), true
	}
	s, ok := referenceSeconds[name]
	if !ok {
		s = 60
	}
	s *= 2 / float64(max(2, runtime.NumCPU()))
	return time.Duration(s * float64(time.Second)), false
}

// record keeps d as target name's build time.
func (bt *buildTimes) record(name string, d time.Duration) error {
	bt.mu.Lock()
	defer bt.mu.Unlock()
	bt.measured[name] = d.Round(time.Second).Seconds()
	b, err := json.MarshalIndent(bt.measured, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(bt.path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteBytes(bt.path, 0o644, b)
}

// simTarget is a target still to build, for the remaining-time estimate.
type simTarget struct {
	name string
	deps []string
	// left is the expected time still needed.
	left time.Duration
	// running targets hold a job slot from now (Light ones take none).
	running, light bool
}

// remaining estimates the time until every target in todo is built by
// simulating the scheduler: at every moment it starts, in order, each
// target whose dependencies are done, while a job slot is free (Light
// targets need none); then time moves to the next finish.
func remaining(todo []simTarget, jobs int) time.Duration {
	jobs = max(jobs, 1)
	finish := map[string]time.Duration{} // started targets' finish times
	inTodo := map[string]bool{}
	var queued []simTarget
	for _, t := range todo {
		inTodo[t.name] = true
		if t.running {
			finish[t.name] = t.left
		} else {
			queued = append(queued, t)
		}
	}
	var now, end time.Duration
	for {
		busy := 0
		for _, t := range todo {
			if f, ok := finish[t.name]; ok && f > now && !t.light {
				busy++
			}
		}
		queued = startReady(queued, finish, inTodo, now, &busy, jobs)
		next := time.Duration(-1)
		for _, f := range finish {
			end = max(end, f)
			if f > now && (next < 0 || f < next) {
				next = f
			}
		}
		if len(queued) == 0 || next < 0 {
			return end
		}
		now = next
	}
}

// startReady starts (sets the finish time of) the queued targets that can
// start at now, in order, and returns those still queued.
func startReady(queued []simTarget, finish map[string]time.Duration, inTodo map[string]bool, now time.Duration, busy *int, jobs int) []simTarget {
	var left []simTarget
	for _, t := range queued {
		ready := true
		for _, d := range t.deps {
			if f, ok := finish[d]; inTodo[d] && (!ok || f > now) {
				ready = false
			}
		}
		if !ready || (!t.light && *busy >= jobs) {
			left = append(left, t)
			continue
		}
		finish[t.name] = now + t.left
		if !t.light {
			*busy++
		}
	}
	return left
}

// fmtLeft says how much is left, and on what the estimate rests.
func fmtLeft(d time.Duration, measured bool) string {
	src := "reference build on 2 cores"
	if measured {
		src = "earlier builds here"
	}
	return fmt.Sprintf("about %s left (estimate from %s)", fmtDuration(d), src)
}
