package app

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// Streams are the standard streams a command reads and writes.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// ExitError carries a specific process exit code (for example 1 when a
// scenario's expectations fail) through Run.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode maps an error returned by Run to a process exit code.
func ExitCode(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}

// globals are the flags shared by every subcommand.
type globals struct {
	verbose bool
	streams Streams
}

// logger returns the CLI's logger: warnings only unless --verbose.
func (g *globals) logger() *slog.Logger {
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.streams.Err, &slog.HandlerOptions{Level: level}))
}

// Run executes the coalmine command line with args (without the program name).
func Run(ctx context.Context, args []string, streams Streams) error {
	root := newRootCmd(streams)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRootCmd(streams Streams) *cobra.Command {
	g := &globals{streams: streams}
	root := &cobra.Command{
		Use:           "coalmine",
		Short:         "Chaos and load testbed for canary release strategies",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "verbose logging to stderr")
	root.AddCommand(
		// subcommands: one constructor per file, e.g. newLoadCmd(g)
		newScenariosCmd(g),
		newImagesCmd(g),
		newLoadCmd(g),
		newReportCmd(g),
		newClusterCmd(g),
		newDoctorCmd(g),
		newRunCmd(g),
		newCalibrateCmd(g),
		newSimCmd(g),
	)
	return root
}
