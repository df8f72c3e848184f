package app

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/internal/hostdeps"
)

// doctorFlags are doctor's flags.
type doctorFlags struct {
	fix, force          bool
	output, name        string
	promPort, entryPort int32
}

// newDoctorCmd is `coalmine doctor [--fix]`.
func newDoctorCmd(g *globals) *cobra.Command {
	var f doctorFlags
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that this machine can run a coalmine kind cluster; --fix repairs what it can",
		Long: `Check the host tools make run and make test need (` + hostdeps.Setup + ` installs
them), the Docker engine, privileged containers (the "unable to apply caps:
operation not permitted" failure of hosts whose capability bounding set lacks
CAP_SYS_RESOURCE), cgroup version, free disk, inotify limits and the host
ports a cluster publishes.

--fix is the only thing in coalmine that changes the host's Docker setup. Where
privileged containers fail it installs a runc wrapper (` + doctor.WrapperPath + `)
that drops CAP_SYS_RESOURCE from OCI specs, registers it as runtime
` + doctor.RuntimeName + ` and default-runtime in ` + doctor.DaemonJSONPath + ` (merged) and
reloads dockerd (restarts it if a reload is not enough; refused while
containers run unless --force). It also raises the inotify limits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd.Context(), g, f) },
	}
	cmd.Flags().BoolVar(&f.fix, "fix", false, "repair what can be repaired (changes Docker's configuration)")
	cmd.Flags().BoolVar(&f.force, "force", false, "with --fix: replace another default runtime, restart dockerd over running containers")
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", "text or json")
	cmd.Flags().StringVar(&f.name, "name", cluster.DefaultName, "kind cluster whose ports count as in use by coalmine")
	cmd.Flags().Int32Var(&f.promPort, "prometheus-port", addons.DefaultPrometheusNodePort, "host port for Prometheus to check")
	cmd.Flags().Int32Var(&f.entryPort, "entry-port", cluster.DefaultEntryNodePort, "first traffic-entry host port to check")
	return cmd
}

func runDoctor(ctx context.Context, g *globals, f doctorFlags) error {
	if err := checkFormat("--output", f.output); err != nil {
		return err
	}
	ports := cluster.NewPorts(cluster.PortOptions{PrometheusHostPort: f.promPort, EntryHostPort: f.entryPort})
	o := doctor.Options{Ports: ports.HostPorts(), Force: f.force, Logger: g.logger(), PortOwners: portOwners(ctx, f.name)}
	check := doctor.Run
	if f.fix {
		check = doctor.Fix
	}
	rep := check(ctx, o)
	err := writeAs(g.streams.Out, f.output, rep, func(w io.Writer) error { return doctor.WriteText(w, rep) })
	if err != nil || !rep.Failed() {
		return err
	}
	hint := ""
	if !f.fix {
		hint = " (coalmine doctor --fix repairs those marked fixable)"
	}
	return &ExitError{Code: 1, Err: errors.New("doctor found problems" + hint)}
}

// portOwners names the host ports held by coalmine's own kind cluster
// name, which count as fine (nil when there is none).
func portOwners(ctx context.Context, name string) map[int]string {
	k, err := cluster.NewKind(cluster.KindOptions{Name: name, Images: images.Set{}})
	if err != nil {
		return nil
	}
	st, err := k.Status(ctx)
	if err != nil || !st.Exists || st.Ports == nil {
		return nil
	}
	owners := map[int]string{}
	for _, p := range st.Ports.HostPorts() {
		owners[p] = "kind cluster " + name
	}
	return owners
}
