package score

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/results"
)

// RecordSource streams one strategy's request records to fn, in any order.
// fn may be handed a reused *Record: it copies what it keeps. A source can
// be read more than once.
type RecordSource func(ctx context.Context, fn func(*loadgen.Record) error) error

// FileSource reads a records file written by loadgen.RecordWriter.
func FileSource(path string) RecordSource {
	return func(ctx context.Context, fn func(*loadgen.Record) error) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("open records: %w", err)
		}
		defer f.Close()
		n := 0
		err = loadgen.ReadRecords(f, func(r *loadgen.Record) error {
			if n++; n%65536 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			return fn(r)
		})
		if err != nil {
			return fmt.Errorf("read records %s: %w", path, err)
		}
		return nil
	}
}

// SliceSource serves records held in memory (tests, the simulator).
func SliceSource(recs []loadgen.Record) RecordSource {
	return func(ctx context.Context, fn func(*loadgen.Record) error) error {
		for i := range recs {
			if i%65536 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			r := recs[i]
			if err := fn(&r); err != nil {
				return err
			}
		}
		return nil
	}
}

// Release is one release of the scenario as the harness made it.
type Release struct {
	// Index is the scenario's release index (0 is the initial stable
	// version and is not scored); timeline events carry the same index.
	Index int
	// Version is the X-Coalmine-Version the release's pods answer with.
	Version string
	// Bad is true when the release carries a fault; Fault summarises it.
	Bad   bool
	Fault string
	// ReleasedAt is when the new pod template was applied. Zero means: take
	// it from the timeline's released event for Index.
	ReleasedAt time.Time
	// FaultOnset is the first moment the fault can act. Nil means: the
	// timeline's fault-onset event for Index, else ReleasedAt.
	FaultOnset *time.Time
}

// Input is everything one strategy's scores are computed from.
type Input struct {
	// Stable is the version serving before the first release.
	Stable string
	// Releases in the order they were made (ascending ReleasedAt).
	Releases []Release
	// Timeline is the strategy's observed and harness events, any order.
	Timeline []results.Event
	// Records streams the strategy's per-request records.
	Records RecordSource
	// End is when observation stopped. Zero means: the latest event time or
	// response end seen.
	End time.Time
}

// Options tune the statistics. The zero value gives the defaults.
type Options struct {
	// Alpha and Beta are the SPRT's error rates (defaults 0.01 and 0.05:
	// 1 % false alarms, 95 % power).
	Alpha, Beta float64
	// RestoreConfidence is how sure the records must make us that the bad
	// version stopped serving before a time to restore is reported
	// (default 0.999): the number of later requests that all went elsewhere
	// must be that unlikely under the release's observed canary share.
	RestoreConfidence float64
	// MinQuietRequests is the least number of later requests served by
	// other versions that confirm a restore (default 20).
	MinQuietRequests int
}

func (o Options) withDefaults() Options {
	if o.Alpha == 0 {
		o.Alpha = 0.01
	}
	if o.Beta == 0 {
		o.Beta = 0.05
	}
	if o.RestoreConfidence == 0 {
		o.RestoreConfidence = 0.999
	}
	if o.MinQuietRequests == 0 {
		o.MinQuietRequests = 20
	}
	return o
}

// Output is one strategy's scores: one result per input release, in input
// order, and the per-second series per serving version.
type Output struct {
	Releases []results.ReleaseResult
	Series   []results.Second
}
