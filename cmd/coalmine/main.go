// Command coalmine is the CLI of the coalmine canary-strategy testbed.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/coalmine/coalmine/cmd/coalmine/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C cancels ctx (the run cleans up); restoring the
	// default handling then lets a second Ctrl-C end the process at once.
	go func() { <-ctx.Done(); stop() }()
	err := app.Run(ctx, os.Args[1:], app.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "coalmine:", err)
		os.Exit(app.ExitCode(err))
	}
}
