package sim

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"
)

// Calibration holds the delays of the real cluster the simulator cannot
// derive from Argo's or Prometheus' code, as empirical distributions fitted
// from kind runs (see Fit), with where they came from.
type Calibration struct {
	// Provenance says which runs the delays were fitted from.
	Provenance Provenance `json:"provenance"`
	// PodReady is from a ReplicaSet scale-up to its new pod being available
	// (scheduling, container start, the first readiness probe).
	PodReady Delay `json:"podReady"`
	// Release is from a new pod template applied to the rollout
	// controller's first reaction (a new ReplicaSet, the first step).
	Release Delay `json:"release"`
	// Reconcile is from a change the controllers watch (a pod available, an
	// AnalysisRun finished, a measurement due) to their reaction.
	Reconcile Delay `json:"reconcile"`
	// AnalysisStart is from the rollout reaching an analysis step to the
	// AnalysisRun's creation.
	AnalysisStart Delay `json:"analysisStart"`
	// Latency is the latency of a healthy request (the service and the
	// path to it), before any injected delay: the per-second medians of
	// kind runs, and LatencyTail their 99th percentiles, drawn for
	// TailShare of the requests.
	Latency     Delay `json:"latency"`
	LatencyTail Delay `json:"latencyTail"`
}

// TailShare is the share of requests whose healthy latency is drawn from
// Calibration.LatencyTail: 2 %, so that the 99th percentile of the drawn
// latencies falls among the observed 99th percentiles.
const TailShare = 0.02

// latency draws a healthy request's latency.
func (c *Calibration) latency(r *rand.Rand) time.Duration {
	if r.Float64() < TailShare {
		return c.LatencyTail.Draw(r)
	}
	return c.Latency.Draw(r)
}

// Provenance records the runs a calibration was fitted from.
type Provenance struct {
	Runs       []string  `json:"runs"`
	FittedAt   time.Time `json:"fittedAt"`
	Components []string  `json:"components,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Delay is an empirical distribution: the observed samples, in seconds.
// Draw picks one uniformly (a bootstrap of the observations).
type Delay struct {
	Samples []float64 `json:"samples"`
}

// Draw returns one delay.
func (d Delay) Draw(r *rand.Rand) time.Duration {
	if len(d.Samples) == 0 {
		return 0
	}
	return seconds(d.Samples[r.IntN(len(d.Samples))])
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func (c *Calibration) validate(source string) error {
	for name, d := range map[string]Delay{"podReady": c.PodReady, "release": c.Release, "reconcile": c.Reconcile,
		"analysisStart": c.AnalysisStart, "latency": c.Latency, "latencyTail": c.LatencyTail} {
		if len(d.Samples) == 0 {
			return fmt.Errorf("calibration %s: %s: no samples", source, name)
		}
		for _, s := range d.Samples {
			if !(s >= 0) {
				return fmt.Errorf("calibration %s: %s: sample %g is not a non-negative number of seconds", source, name, s)
			}
		}
	}
	return nil
}

//go:embed calibration.json
var defaultCalibration []byte

// DefaultCalibration is the calibration the library ships, fitted from
// kind runs of the library scenarios.
func DefaultCalibration() (*Calibration, error) {
	return parseCalibration(defaultCalibration, "library:calibration.json")
}

// LoadCalibration reads a calibration file written by Fit's caller.
func LoadCalibration(path string) (*Calibration, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("calibration: %w", err)
	}
	return parseCalibration(data, path)
}

func parseCalibration(data []byte, source string) (*Calibration, error) {
	var c Calibration
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("calibration %s: %w", source, err)
	}
	return &c, c.validate(source)
}

func sortStrings(s []string) { slices.Sort(s) }
