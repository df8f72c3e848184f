package doctor

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// Fix runs the checks, repairs what is fixable (the runc wrapper where
// privileged containers lack CAP_SYS_RESOURCE, the inotify limits), and
// checks again. It is the only code in coalmine that changes the host's
// Docker setup. A repair that fails is reported as that check's failure.
func Fix(ctx context.Context, o Options) Report {
	before := Run(ctx, o)
	var actions []string
	var errs []Result
	for _, r := range before.Results {
		if !r.Fixable || r.Level == OK {
			continue
		}
		var acts []string
		var err error
		switch r.Check {
		case "capabilities":
			acts, err = fixCaps(ctx, o)
		case "inotify":
			acts, err = fixInotify(o)
		}
		actions = append(actions, acts...)
		if err != nil {
			errs = append(errs, Result{Check: r.Check, Level: Fail, Summary: "fix failed: " + err.Error(), Hint: r.Hint})
		}
	}
	after := Run(ctx, o)
	after.Actions = actions
	for i, r := range after.Results {
		for _, b := range before.Results {
			if b.Check == r.Check && b.Level != OK && r.Level == OK {
				after.Results[i].Level = Fixed
			}
		}
	}
	after.Results = append(after.Results, errs...)
	return after
}

func fixInotify(o Options) ([]string, error) {
	changed, err := RaiseInotify(o.root())
	if err != nil || !changed {
		return nil, err
	}
	return []string{fmt.Sprintf("raised fs.inotify.max_user_watches/instances to at least %d/%d (and wrote %s)",
		WantMaxUserWatches, WantMaxUserInstances, SysctlConf)}, nil
}

// fixCaps installs the wrapper, registers it in daemon.json and makes the
// engine use it (reload, restart only if the reload did not take).
func fixCaps(ctx context.Context, o Options) ([]string, error) {
	if _, err := exec.LookPath("jq"); err != nil {
		return nil, errors.New("the runc wrapper needs jq on the host: install it (apt-get install jq) and rerun")
	}
	var acts []string
	wch, err := InstallWrapper(o.root())
	if err != nil {
		return acts, err
	}
	if wch {
		acts = append(acts, "installed runc wrapper "+WrapperPath)
	}
	dch, err := InstallDaemonJSON(o.root(), o.Force)
	if err != nil {
		return acts, err
	}
	if dch {
		acts = append(acts, fmt.Sprintf("registered runtime %s (%s) as default-runtime in %s", RuntimeName, WrapperPath, DaemonJSONPath))
	}
	info, err := o.Docker.Info(ctx)
	if err != nil {
		return acts, err
	}
	if info.DefaultRuntime == RuntimeName && !dch {
		return acts, nil
	}
	act, err := applyDaemonConfig(ctx, o)
	if act != "" {
		acts = append(acts, act)
	}
	return acts, err
}

// applyDaemonConfig makes the engine pick up daemon.json: a reload keeps
// containers running; a restart is the fallback.
func applyDaemonConfig(ctx context.Context, o Options) (string, error) {
	d := o.daemon()
	if err := d.Reload(ctx); err == nil && waitDefaultRuntime(ctx, o.Docker, o.reloadWait()) == nil {
		return "reloaded dockerd: default runtime is now " + RuntimeName, nil
	}
	out, err := o.Docker.Run(ctx, "ps", "-q")
	if err != nil {
		return "", err
	}
	if n := len(strings.Fields(string(out))); n > 0 && !o.Force {
		return "", fmt.Errorf("dockerd must restart to use %s but %d containers are running; stop them or rerun with --force", RuntimeName, n)
	}
	if err := d.Restart(ctx); err != nil {
		return "", fmt.Errorf("restart dockerd: %w", err)
	}
	if err := waitDefaultRuntime(ctx, o.Docker, o.reloadWait()); err != nil {
		return "", err
	}
	return "restarted dockerd: default runtime is now " + RuntimeName, nil
}

func waitDefaultRuntime(ctx context.Context, d Docker, timeout time.Duration) error {
	var got string
	err := wait.PollUntilContextTimeout(ctx, pollEvery, timeout, true, func(context.Context) (bool, error) {
		info, err := d.Info(ctx)
		got = info.DefaultRuntime
		return err == nil && got == RuntimeName, nil
	})
	if err != nil {
		return fmt.Errorf("engine's default runtime is %q, not %s: %w", got, RuntimeName, err)
	}
	return nil
}
