package run

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"time"

	"github.com/coalmine/coalmine/scenarios"
)

var runIDRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$`)

// ValidateRunID checks a run id: 1 to 12 of a-z, 0-9 and '-', starting
// and ending with a letter or digit (it ends namespace names).
func ValidateRunID(id string) error {
	if !runIDRE.MatchString(id) {
		return fmt.Errorf("run id %q: want 1 to 12 of a-z, 0-9 and '-', starting and ending with a letter or digit", id)
	}
	return nil
}

// Options describe one run.
type Options struct {
	// Scenario is the loaded (defaulted, validated) scenario.
	Scenario *scenarios.Scenario
	// Strategies selects a subset of the scenario's strategies by name
	// (empty: all of them).
	Strategies []string
	// Cluster is where to run: a cluster with the add-ons installed.
	Cluster Cluster
	// Image is faultapp's image and PullPolicy its imagePullPolicy
	// (IfNotPresent by default; Never for images loaded into kind).
	Image      string
	PullPolicy string
	// OutDir receives results.json, the reports and each strategy's
	// records (<OutDir>/<strategy>/records.tsv).
	OutDir string
	// Parallel is how many strategies run at once (0: all).
	Parallel int
	// Keep leaves the strategies' namespaces in place after the run.
	Keep bool
	// Seed is the master seed (traffic and fault decisions). Every
	// strategy gets the same traffic sequence from it.
	Seed int64
	// RunID labels every object (coalmine.dev/run) and ends every
	// namespace name: 1 to 12 of a-z, 0-9, '-'. Random when empty.
	RunID string
	// HealthyTimeout bounds the wait for the initial version to be
	// rolled out (default 3m).
	HealthyTimeout time.Duration
	// CleanupTimeout bounds namespace deletion (default 2m).
	CleanupTimeout time.Duration
	// Progress receives the live display (nil: none). Interactive redraws
	// it in place, Width columns wide (0: unlimited); otherwise plain lines
	// are written every PlainEvery (default 10s).
	Progress    io.Writer
	Interactive bool
	Width       int
	PlainEvery  time.Duration
	// Logger receives debug and warning lines (default: discarded).
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time

	// api replaces the API server in tests.
	api kubeAPI
}

func (o *Options) setDefaults() error {
	if o.Scenario == nil {
		return errors.New("run: no scenario")
	}
	if o.OutDir == "" {
		return errors.New("run: no output directory")
	}
	if o.Image == "" {
		return errors.New("run: no faultapp image")
	}
	if o.PullPolicy == "" {
		o.PullPolicy = "IfNotPresent"
	}
	if len(o.Cluster.Entries) == 0 {
		return errors.New("run: the cluster has no traffic entries")
	}
	if o.RunID == "" {
		var b [3]byte
		_, _ = rand.Read(b[:])
		o.RunID = hex.EncodeToString(b[:])
	}
	if err := ValidateRunID(o.RunID); err != nil {
		return err
	}
	if o.HealthyTimeout == 0 {
		o.HealthyTimeout = 3 * time.Minute
	}
	if o.CleanupTimeout == 0 {
		o.CleanupTimeout = 2 * time.Minute
	}
	if o.PlainEvery == 0 {
		o.PlainEvery = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// selected returns the strategies to run (Scenario.Select).
func (o *Options) selected() ([]*scenarios.Strategy, error) {
	out, err := o.Scenario.Select(o.Strategies)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	return out, nil
}
