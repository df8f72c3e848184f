package results

import (
	"encoding/json"
	"io"
)

// SimSchemaVersion is the schemaVersion of sim.json.
const SimSchemaVersion = "coalmine.dev/sim/v1alpha1"

// SimFileName is the Monte Carlo summary's file in an output directory.
const SimFileName = "sim.json"

// SimSummary is what a Monte Carlo of the simulator gives (sim.json): per strategy and release, outcome
// rates with their intervals and the spread of the scores.
type SimSummary struct {
	SchemaVersion    string        `json:"schemaVersion"`
	Scenario         string        `json:"scenario"`
	Runs             int           `json:"runs"`
	Seed             int64         `json:"seed"`
	TimeScale        float64       `json:"timeScale"`
	CalibrationRuns  []string      `json:"calibrationRuns"`
	Complete         bool          `json:"complete"`
	IncompleteReason string        `json:"incompleteReason,omitempty"`
	Strategies       []SimStrategy `json:"strategies"`
}

// SimStrategy is one strategy's aggregate.
type SimStrategy struct {
	Name string `json:"name"`
	// Errors counts runs that failed (the first message is kept).
	Errors     int          `json:"errors,omitempty"`
	FirstError string       `json:"firstError,omitempty"`
	Releases   []SimRelease `json:"releases"`
}

// SimRelease aggregates one release over the runs that made it.
type SimRelease struct {
	Index    int             `json:"index"`
	Version  string          `json:"version"`
	Bad      bool            `json:"bad"`
	Fault    string          `json:"fault,omitempty"`
	Outcomes map[Outcome]int `json:"outcomes"`
	// Caught (bad releases) or FalseAlarm (good ones): aborted runs of
	// all runs; Timeout: runs neither promoted nor aborted in time.
	Caught     *Rate `json:"caught,omitempty"`
	FalseAlarm *Rate `json:"falseAlarm,omitempty"`
	Timeout    Rate  `json:"timeout"`
	// Spreads in seconds, requests and users.
	TimeToDetect   *Spread `json:"timeToDetectSeconds,omitempty"`
	TimeToRestore  *Spread `json:"timeToRestoreSeconds,omitempty"`
	TimeToPromote  *Spread `json:"timeToPromoteSeconds,omitempty"`
	ExcessFailures *Spread `json:"excessFailedRequests,omitempty"`
	UsersAffected  *Spread `json:"usersAffected,omitempty"`
}

// Rate is K successes in N runs with its Wilson score interval (95 %).
type Rate struct {
	K  int     `json:"k"`
	N  int     `json:"n"`
	P  float64 `json:"p"`
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// Spread is a distribution's summary: how many values, and its 5th, 10th,
// 50th, 90th and 95th percentiles.
type Spread struct {
	N      int     `json:"n"`
	P5     float64 `json:"p5"`
	P10    float64 `json:"p10"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	P95    float64 `json:"p95"`
}

// WriteSim writes s to dir/sim.json atomically, creating dir if needed.
func WriteSim(dir string, s *SimSummary) error {
	return writeFile(dir, SimFileName, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}
