package doctor

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/coalmine/coalmine/internal/hostdeps"
)

// Level is the outcome of one check.
type Level string

// Check outcomes.
const (
	OK    Level = "ok"
	Warn  Level = "warn"
	Fail  Level = "fail"
	Fixed Level = "fixed"
)

// Result is one check's diagnosis.
type Result struct {
	Check   string `json:"check"`
	Level   Level  `json:"level"`
	Summary string `json:"summary"`
	// Hint says how to repair it; Fixable means doctor --fix does.
	Hint    string `json:"hint,omitempty"`
	Fixable bool   `json:"fixable,omitempty"`
}

// Report is the outcome of every check.
type Report struct {
	Results []Result `json:"results"`
	// Caps is the capability probe's detail, when Docker answered.
	Caps *CapReport `json:"capabilities,omitempty"`
	// Actions lists what Fix changed.
	Actions []string `json:"actions,omitempty"`
}

// Failed reports whether any check failed.
func (r Report) Failed() bool {
	for _, res := range r.Results {
		if res.Level == Fail {
			return true
		}
	}
	return false
}

// Options configure the checks.
type Options struct {
	// Root is the file system root of host files ("/" when empty); tests
	// point it at a temporary directory.
	Root   string
	Docker Docker
	// Daemon reloads/restarts the engine for Fix; HostDaemon when nil.
	Daemon Daemon
	// Ports are host ports (on 127.0.0.1) a cluster will publish.
	Ports []int
	// PortOwners names the holder of ports already held by coalmine's own
	// cluster; those count as fine.
	PortOwners map[int]string
	// Force lets Fix replace another default runtime and restart an engine
	// that has running containers.
	Force bool
	// ReloadWait bounds the wait for a reloaded engine to show the wrapper
	// as its default runtime before Fix restarts it; 15 s when zero.
	ReloadWait time.Duration
	Logger     *slog.Logger
}

func (o Options) reloadWait() time.Duration {
	if o.ReloadWait == 0 {
		return 15 * time.Second
	}
	return o.ReloadWait
}

func (o Options) root() string {
	if o.Root == "" {
		return "/"
	}
	return o.Root
}

func (o Options) daemon() Daemon {
	if o.Daemon != nil {
		return o.Daemon
	}
	return HostDaemon{Root: o.root(), Docker: o.Docker}
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Run performs every check and changes nothing.
func Run(ctx context.Context, o Options) Report {
	ictx, cancel := context.WithTimeout(ctx, 15*time.Second)
	info, err := o.Docker.Info(ictx)
	cancel()
	rep := Report{Results: []Result{checkTools(err == nil)}}
	if err != nil {
		rep.Results = append(rep.Results, Result{Check: "docker", Level: Fail,
			Summary: "no Docker engine answers: " + err.Error(),
			Hint:    "install and start Docker (on Debian as root: " + hostdeps.Setup + "), then rerun"})
		return rep
	}
	rt := info.DefaultRuntime
	rep.Results = append(rep.Results, Result{Check: "docker", Level: OK,
		Summary: fmt.Sprintf("Docker %s answers (default runtime %s)", info.ServerVersion, rt)})
	rep.Results = append(rep.Results, checkCaps(ctx, o, info, &rep))
	rep.Results = append(rep.Results, checkCgroup(info), checkDisk(o, info), checkInotify(o))
	rep.Results = append(rep.Results, checkPorts(o)...)
	return rep
}

func checkCaps(ctx context.Context, o Options, info Info, rep *Report) Result {
	res := Result{Check: "capabilities"}
	cr, err := CheckCaps(ctx, o.Docker, info)
	if err != nil {
		res.Level, res.Summary = Fail, "cannot probe privileged containers: "+err.Error()
		return res
	}
	if set, ev, ok := dockerdCapBnd(o.root()); ok && set&(1<<capSysResource) == 0 {
		cr.Evidence += "; " + ev + " lacks CAP_SYS_RESOURCE"
	}
	rep.Caps = &cr
	switch {
	case !cr.Missing:
		res.Level, res.Summary = OK, "privileged containers start under plain runc; no runc wrapper needed"
	case cr.DefaultRuntimeOK:
		res.Level = OK
		res.Summary = fmt.Sprintf("this host's capability bounding set lacks CAP_SYS_RESOURCE (plain runc: %q); "+
			"already fixed: default runtime %s starts privileged containers; kind nodes get coalmine's wrapper inside",
			cr.PlainRuncError, cr.DefaultRuntime)
		if cr.WrapperRuntime {
			if note := wrapperDrift(o.root()); note != "" {
				res.Level, res.Hint, res.Fixable = Warn, note, true
			}
		}
	default:
		res.Level = Fail
		res.Summary = fmt.Sprintf("privileged containers (kind nodes) fail: %q: this host's capability "+
			"bounding set lacks CAP_SYS_RESOURCE", cr.PlainRuncError)
		res.Hint = "coalmine doctor --fix installs a runc wrapper (" + WrapperPath + ") that drops CAP_SYS_RESOURCE " +
			"from OCI specs, registers it as runtime " + RuntimeName + " and default-runtime in " + DaemonJSONPath +
			" and reloads dockerd"
		res.Fixable = true
	}
	return res
}

// wrapperDrift explains how the installed wrapper differs from coalmine's.
func wrapperDrift(root string) string {
	b, err := os.ReadFile(filepath.Join(root, WrapperPath))
	switch {
	case err != nil:
		return "wrapper " + WrapperPath + " unreadable: " + err.Error() + "; --fix reinstalls it"
	case !bytes.Equal(b, wrapperScript):
		return "wrapper " + WrapperPath + " differs from coalmine's; --fix replaces it"
	}
	if _, err := exec.LookPath("jq"); err != nil {
		return "the runc wrapper needs jq, which is not on PATH: install jq"
	}
	return ""
}

func checkCgroup(info Info) Result {
	res := Result{Check: "cgroup", Level: OK}
	switch info.CgroupVersion {
	case "2":
		res.Summary = "cgroup v2 (" + info.CgroupDriver + " driver)"
	case "1":
		res.Summary = "cgroup v1 (" + info.CgroupDriver + " driver): fine for Kubernetes 1.34; kubelet 1.35+ refuses v1 unless failCgroupV1 is false"
	default:
		res.Level, res.Summary = Warn, "unknown cgroup version "+strings.TrimSpace(info.CgroupVersion)
	}
	return res
}

const gib = 1 << 30

func checkDisk(o Options, info Info) Result {
	res := Result{Check: "disk"}
	if !localDocker() || info.DockerRootDir == "" {
		res.Level, res.Summary = OK, "Docker runs elsewhere; free disk not checked"
		return res
	}
	free, err := FreeBytes(filepath.Join(o.root(), info.DockerRootDir))
	if err != nil {
		res.Level, res.Summary = Warn, err.Error()
		return res
	}
	res.Summary = fmt.Sprintf("%.1f GiB free under %s", float64(free)/gib, info.DockerRootDir)
	switch {
	case free < 4*gib:
		res.Level, res.Hint = Fail, "a cluster with local images needs about 4 GiB; free some space"
	case free < 10*gib:
		res.Level, res.Hint = Warn, "less than 10 GiB free; image builds may run out"
	default:
		res.Level = OK
	}
	return res
}

func checkInotify(o Options) Result {
	res := Result{Check: "inotify"}
	in, err := ReadInotify(o.root())
	if err != nil {
		res.Level, res.Summary = Warn, err.Error()
		return res
	}
	res.Summary = fmt.Sprintf("fs.inotify.max_user_watches=%d, max_user_instances=%d", in.MaxUserWatches, in.MaxUserInstances)
	if in.OK() {
		res.Level = OK
		return res
	}
	res.Level, res.Fixable = Warn, true
	res.Hint = fmt.Sprintf("kind nodes run out of inotify watches below %d/%d (pods fail with \"too many open files\"); "+
		"--fix raises them (sysctl and %s)", WantMaxUserWatches, WantMaxUserInstances, SysctlConf)
	return res
}

func checkPorts(o Options) []Result {
	if len(o.Ports) == 0 {
		return nil
	}
	ports := append([]int(nil), o.Ports...)
	sort.Ints(ports)
	var busy []string
	owned := map[string][]int{}
	for _, p := range ports {
		if owner, ok := o.PortOwners[p]; ok {
			owned[owner] = append(owned[owner], p)
			continue
		}
		free, err := PortFree(p)
		if err != nil || !free {
			busy = append(busy, fmt.Sprint(p))
		}
	}
	res := Result{Check: "ports", Level: OK}
	switch {
	case len(busy) > 0:
		res.Level = Fail
		res.Summary = "127.0.0.1 ports in use: " + strings.Join(busy, ", ")
		res.Hint = "stop what holds them or choose other host ports (coalmine cluster up --prometheus-port, --entry-port)"
	case len(owned) > 0:
		var parts []string
		for owner, ps := range owned {
			parts = append(parts, "held by "+owner+": "+portList(ps))
		}
		sort.Strings(parts)
		res.Summary = "127.0.0.1 ports free or held by coalmine (" + strings.Join(parts, "; ") + ")"
	default:
		res.Summary = fmt.Sprintf("127.0.0.1 ports free: %s", portList(ports))
	}
	return []Result{res}
}

// portList prints sorted ports compactly (30080-30087, 30090).
func portList(ports []int) string {
	var parts []string
	for i := 0; i < len(ports); {
		j := i
		for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ports[i], ports[j]))
		} else {
			parts = append(parts, fmt.Sprint(ports[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
