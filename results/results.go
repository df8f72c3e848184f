package results

import "time"

// SchemaVersion identifies this shape of results.json. Bump it on any
// incompatible change; readers reject versions they do not know.
const SchemaVersion = "coalmine.dev/results/v1alpha1"

// Results is one run of one scenario: every strategy that was compared, with
// timelines, per-second series and scores. Kind, existing-cluster and
// simulator runs all produce this shape.
type Results struct {
	SchemaVersion string `json:"schemaVersion"`
	// Scenario is the scenario that was run.
	Scenario ScenarioInfo `json:"scenario"`
	// Environment is where it ran.
	Environment Environment `json:"environment"`
	// Components maps component name (kubernetes, argo-rollouts, prometheus,
	// faultapp, coalmine, kind, node-image...) to its version or image ref.
	Components map[string]string `json:"components"`
	// Seed is the master seed; per-strategy seeds derive from it.
	Seed       int64     `json:"seed"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	// Complete is false when the run was interrupted or failed; the reason
	// says why. Partial results are still written.
	Complete         bool          `json:"complete"`
	IncompleteReason string        `json:"incompleteReason,omitempty"`
	Strategies       []StrategyRun `json:"strategies"`
}

// ScenarioInfo describes the scenario of a run.
type ScenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Source is the library name or file path the scenario came from.
	Source string `json:"source"`
	// YAML is the scenario document as run (after defaulting).
	YAML string `json:"yaml,omitempty"`
	// TimeScale is how many real seconds one simulated second takes
	// divided into one: 144 means a 24 h day is played in 10 min.
	TimeScale float64 `json:"timeScale"`
	// DayLength is the real duration of one simulated day.
	DayLengthSeconds float64 `json:"dayLengthSeconds"`
}

// Environment is where a run happened.
type Environment struct {
	// Kind is "kind", "existing" or "sim".
	Kind string `json:"kind"`
	// Images is "upstream" or "local" for kind.
	Images  string `json:"images,omitempty"`
	Cluster string `json:"cluster,omitempty"`
	Context string `json:"context,omitempty"`
}

// StrategyRun is one strategy's run through the scenario's releases.
type StrategyRun struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	// StrategyYAML is the Argo Rollouts strategy block exactly as the user
	// wrote it (unscaled); AnalysisTemplatesYAML the templates it references.
	StrategyYAML          string `json:"strategyYAML"`
	AnalysisTemplatesYAML string `json:"analysisTemplatesYAML,omitempty"`
	Seed                  int64  `json:"seed"`
	// RecordsFile is the per-request records file, relative to results.json.
	RecordsFile string `json:"recordsFile,omitempty"`
	Complete    bool   `json:"complete"`
	// Traffic is what the load generator reports about its attack (absent
	// when traffic never started).
	Traffic *Traffic `json:"traffic,omitempty"`
	// Error is set when the strategy's run failed for a reason other than
	// the scenario itself (cluster trouble, timeout of the harness...).
	Error    string          `json:"error,omitempty"`
	Timeline []Event         `json:"timeline"`
	Series   []Second        `json:"series"`
	Releases []ReleaseResult `json:"releases"`
}

// Traffic summarises one strategy's attack as the load generator saw it.
type Traffic struct {
	// Requests were sent and recorded (one record each).
	Requests uint64 `json:"requests"`
	// Skipped hits were due but not sent: every worker was busy (requests
	// hanging until their timeout) or the CPU was saturated.
	Skipped uint64 `json:"skipped"`
	// Stop says why the attack ended ("canceled" when the run stopped it).
	Stop string `json:"stop"`
}

// EventKind names what happened at a point of the timeline.
type EventKind string

// Timeline event kinds. Events come from the harness (Released, FaultOnset,
// TrafficStart/Stop) and from the observed controller (the rest).
const (
	EventTrafficStart  EventKind = "traffic-start"
	EventTrafficStop   EventKind = "traffic-stop"
	EventReleased      EventKind = "released"    // new pod template applied
	EventFaultOnset    EventKind = "fault-onset" // first moment the fault can act
	EventStep          EventKind = "step"        // rollout moved to step index
	EventWeight        EventKind = "weight"      // configured canary weight changed
	EventAnalysisStart EventKind = "analysis-start"
	EventMeasurement   EventKind = "measurement" // one AnalysisRun measurement
	EventAnalysisEnd   EventKind = "analysis-end"
	EventPaused        EventKind = "paused"
	EventAborted       EventKind = "aborted"
	EventRestored      EventKind = "restored" // stable fully serving again
	EventPromoted      EventKind = "promoted" // rollout completed to new revision
	EventTimeout       EventKind = "timeout"
	EventK8sEvent      EventKind = "k8s-event" // a raw Kubernetes event, for the log
)

// Event is one point of a strategy's timeline.
type Event struct {
	Time time.Time `json:"time"`
	Kind EventKind `json:"kind"`
	// Release is the index into the scenario's releases (0 = initial stable).
	Release int `json:"release"`
	// Step and Weight are set for step/weight events.
	Step   *int `json:"step,omitempty"`
	Weight *int `json:"weight,omitempty"`
	// Analysis fields: AnalysisRun name, metric, measurement phase
	// (Successful, Failed, Inconclusive, Error) and value.
	AnalysisRun string `json:"analysisRun,omitempty"`
	Metric      string `json:"metric,omitempty"`
	Phase       string `json:"phase,omitempty"`
	Value       string `json:"value,omitempty"`
	// Reason and Message carry controller event text (e.g. RolloutAborted).
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// Second is the per-second aggregate of requests served by one version.
type Second struct {
	// T is the start of the second (Unix seconds).
	T        int64   `json:"t"`
	Version  string  `json:"version"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50Ms    float64 `json:"p50Ms"`
	P99Ms    float64 `json:"p99Ms"`
}

// Outcome is how a release ended under a strategy.
type Outcome string

// Outcomes. A bad release is caught or missed; a good release is promoted
// or a false alarm; either can time out (the harness gave up waiting).
const (
	OutcomeCaught     Outcome = "caught"
	OutcomeMissed     Outcome = "missed"
	OutcomeFalseAlarm Outcome = "false-alarm"
	OutcomePromoted   Outcome = "promoted"
	OutcomeTimeout    Outcome = "timeout"
)

// ReleaseResult is one release of the scenario under one strategy.
type ReleaseResult struct {
	Index   int    `json:"index"`
	Version string `json:"version"`
	// Bad is true when the release carries a fault.
	Bad bool `json:"bad"`
	// Baseline is the version that was stable when the release started: the
	// one its error rate is compared with.
	Baseline string `json:"baseline,omitempty"`
	// Fault is a one-line human summary of the fault ("" for good releases).
	Fault        string              `json:"fault,omitempty"`
	ReleasedAt   time.Time           `json:"releasedAt"`
	FaultOnset   *time.Time          `json:"faultOnset,omitempty"`
	Scores       Scores              `json:"scores"`
	Expectations []ExpectationResult `json:"expectations,omitempty"`
}

// Scores are computed by reports/score from records and timeline only.
type Scores struct {
	Outcome Outcome `json:"outcome"`
	// TimeToDetect: fault onset → abort. Nil when never aborted.
	TimeToDetectSeconds *float64 `json:"timeToDetectSeconds,omitempty"`
	// TimeToRestore: fault onset → last response served by the bad version.
	// Nil when the bad version was still serving at the end.
	TimeToRestoreSeconds *float64 `json:"timeToRestoreSeconds,omitempty"`
	// TimeToPromote: release → promoted, for good releases.
	TimeToPromoteSeconds *float64 `json:"timeToPromoteSeconds,omitempty"`
	// Blast radius.
	FailedRequests int `json:"failedRequests"`
	// ExcessFailedRequests is failures above the baseline (stable's) rate.
	ExcessFailedRequests float64 `json:"excessFailedRequests"`
	// UsersAffected counts distinct users who saw a failure from this
	// release's version.
	UsersAffected int `json:"usersAffected"`
	// UnattributedFailedRequests counts failures without a serving version
	// (no response at all: connection refused, reset, timeout) while the
	// release was being observed. Crashing versions show up here.
	UnattributedFailedRequests int `json:"unattributedFailedRequests,omitempty"`
	// CanaryRequests is how many requests the release's version served.
	CanaryRequests int `json:"canaryRequests"`
	// ConfiguredWeight is the time-weighted mean configured canary weight (%)
	// while the release was in progress; ObservedShare the measured share of
	// requests (%) the new version served over the same period.
	ConfiguredWeight float64 `json:"configuredWeight"`
	ObservedShare    float64 `json:"observedShare"`
	// BaselineErrorRate and CanaryErrorRate are the observed rates (0..1).
	BaselineErrorRate float64 `json:"baselineErrorRate"`
	CanaryErrorRate   float64 `json:"canaryErrorRate"`
	// Efficiency compares detection with the statistical limit (SPRT).
	Efficiency *Efficiency `json:"efficiency,omitempty"`
}

// Efficiency relates a strategy's detection to the statistical limit: the
// average number of canary requests Wald's SPRT needs (α = 0.01, power 0.95)
// to tell the observed canary error rate from the baseline.
type Efficiency struct {
	SPRTRequests float64 `json:"sprtRequests"`
	// RequestsToDetect is how many canary requests were served before abort.
	RequestsToDetect int `json:"requestsToDetect"`
	// Ratio is RequestsToDetect / SPRTRequests (1 = at the limit).
	Ratio float64 `json:"ratio"`
}

// ExpectationResult is the verdict on one of the scenario's expectations.
type ExpectationResult struct {
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	Reason string `json:"reason,omitempty"`
}
