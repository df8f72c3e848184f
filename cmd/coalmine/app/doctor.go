package app

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
)

// newDoctorCmd is `coalmine doctor [--fix]`.
func newDoctorCmd(g *globals) *cobra.Command {
	var (
		fix, force          bool
		output, name        string
		promPort, entryPort int32
	)
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that this machine can run a coalmine kind cluster; --fix repairs what it can",
		Long: `Check the Docker engine, privileged containers (the "unable to apply caps:
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
		RunE: func(cmd *cobra.Command, _ []string) error {
			if output != "text" && output != "json" {
				return fmt.Errorf("unknown --output %q (want text or json)", output)
			}
			ctx := cmd.Context()
			ports := cluster.NewPorts(cluster.PortOptions{PrometheusHostPort: promPort, EntryHostPort: entryPort})
			o := doctor.Options{Ports: ports.HostPorts(), Force: force, Logger: g.logger()}
			if k, err := cluster.NewKind(cluster.KindOptions{Name: name, Images: images.Set{}}); err == nil {
				if st, err := k.Status(ctx); err == nil && st.Exists && st.Ports != nil {
					o.PortOwners = map[int]string{}
					for _, p := range st.Ports.HostPorts() {
						o.PortOwners[p] = "kind cluster " + name
					}
				}
			}
			var rep doctor.Report
			if fix {
				rep = doctor.Fix(ctx, o)
			} else {
				rep = doctor.Run(ctx, o)
			}
			var err error
			if output == "json" {
				enc := json.NewEncoder(g.streams.Out)
				enc.SetIndent("", "  ")
				err = enc.Encode(rep)
			} else {
				err = doctor.WriteText(g.streams.Out, rep)
			}
			if err != nil {
				return err
			}
			if rep.Failed() {
				hint := ""
				if !fix {
					hint = " (coalmine doctor --fix repairs those marked fixable)"
				}
				return &ExitError{Code: 1, Err: errors.New("doctor found problems" + hint)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&fix, "fix", false, "repair what can be repaired (changes Docker's configuration)")
	cmd.Flags().BoolVar(&force, "force", false, "with --fix: replace another default runtime, restart dockerd over running containers")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "kind cluster whose ports count as in use by coalmine")
	cmd.Flags().Int32Var(&promPort, "prometheus-port", addons.DefaultPrometheusNodePort, "host port for Prometheus to check")
	cmd.Flags().Int32Var(&entryPort, "entry-port", cluster.DefaultEntryNodePort, "first traffic-entry host port to check")
	return cmd
}
