package app

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/faultapp/image"
	"github.com/coalmine/coalmine/harness/images"
)

// newImagesCmd is `coalmine images`: build and list the images of
// --images local (built on this machine, no registry needed).
func newImagesCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "images",
		Short: "Build and list the locally built images (--images local)",
	}
	cmd.AddCommand(newImagesBuildCmd(g), newImagesListCmd(g))
	return cmd
}

// imagesBuilder is the builder every images subcommand uses.
func imagesBuilder(g *globals, jobs int) (*images.Builder, error) {
	return images.New(images.Config{
		Jobs:     jobs,
		Progress: g.streams.Out,
		Logger:   g.logger(),
		Faultapp: image.BuildContext,
	})
}

func newImagesBuildCmd(g *globals) *cobra.Command {
	var (
		only  []string
		force bool
		jobs  int
	)
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the images that are missing or whose inputs changed",
		Long: `Build every image a coalmine kind cluster needs from Go module sources and
Debian packages, with no container registry. Each image carries a label with
the hash of its inputs and is rebuilt only when they change. Logs go to
~/.cache/coalmine/logs/images-<time>.log.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := imagesBuilder(g, jobs)
			if err != nil {
				return err
			}
			res, err := b.Build(cmd.Context(), images.BuildOptions{Only: only, Force: force})
			if err != nil {
				return err
			}
			fmt.Fprintf(g.streams.Out, "images: %d built, %d cached in %s", len(res.Built), len(res.Cached), res.Duration.Round(time.Second))
			if res.Log != "" {
				fmt.Fprintf(g.streams.Out, " (log: %s)", res.Log)
			}
			fmt.Fprintln(g.streams.Out)
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&only, "only", nil, "build only these images (comma-separated; their stale dependencies too)")
	cmd.Flags().BoolVar(&force, "force", false, "rebuild even when up to date (the --only images, or everything from source)")
	cmd.Flags().IntVar(&jobs, "jobs", 2, "images built at the same time")
	return cmd
}

func newImagesListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Show each image: present or missing, input hash, up to date or stale",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b, err := imagesBuilder(g, 0)
			if err != nil {
				return err
			}
			sts, err := b.Status(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(g.streams.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tKIND\tREF\tSTATE\tINPUTS")
			for _, s := range sts {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.Name, kindOf(s), s.Ref, stateOf(s), short(s.Hash))
			}
			return w.Flush()
		},
	}
}

func kindOf(s images.Status) string {
	if s.Image {
		return "image"
	}
	return "artifact"
}

func stateOf(s images.Status) string {
	switch {
	case !s.Present:
		return "missing"
	case s.UpToDate():
		return "up to date"
	case s.Current == "":
		return "stale (unlabelled)"
	default:
		return "stale (was " + short(s.Current) + ")"
	}
}

func short(h string) string {
	h = strings.TrimPrefix(h, "sha256:")
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
