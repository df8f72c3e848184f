package doctor

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// capSysResource is CAP_SYS_RESOURCE's bit in a capability set.
const capSysResource = 24

// capsError is what runc prints when a privileged container asks for a
// capability outside the engine's bounding set.
const capsError = "unable to apply caps"

// CapReport is what the capability check found.
type CapReport struct {
	// Missing is true when privileged containers cannot get
	// CAP_SYS_RESOURCE: the engine's capability bounding set lacks it, so
	// plain runc fails with "unable to apply caps: operation not permitted".
	Missing bool `json:"missing"`
	// Evidence says how Missing was decided.
	Evidence string `json:"evidence"`
	// PlainRuncError is the error of a privileged container under plain
	// runc, when one was probed and failed.
	PlainRuncError string `json:"plainRuncError,omitempty"`
	// DefaultRuntime is the engine's default runtime and DefaultRuntimeOK
	// whether privileged containers start under it.
	DefaultRuntime   string `json:"defaultRuntime"`
	DefaultRuntimeOK bool   `json:"defaultRuntimeOK"`
	// WrapperRuntime is true when the default runtime is coalmine's runc
	// wrapper (doctor --fix already applied, or installed the same by hand).
	WrapperRuntime bool `json:"wrapperRuntime"`
}

// parseCapBnd returns the CapBnd set of a /proc/<pid>/status text.
func parseCapBnd(status []byte) (uint64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			set, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				return 0, fmt.Errorf("parse CapBnd %q: %w", v, err)
			}
			return set, nil
		}
	}
	return 0, errors.New("no CapBnd line")
}

// localDocker reports whether the docker CLI talks to a daemon on this
// host (no DOCKER_HOST, or a unix socket).
func localDocker() bool {
	h := os.Getenv("DOCKER_HOST")
	return h == "" || strings.HasPrefix(h, "unix://")
}

// dockerdCapBnd reads the bounding set of the local dockerd through its
// pid file under root. ok is false when it cannot be read.
func dockerdCapBnd(root string) (set uint64, evidence string, ok bool) {
	if !localDocker() {
		return 0, "", false
	}
	pidb, err := os.ReadFile(filepath.Join(root, "var/run/docker.pid"))
	if err != nil {
		return 0, "", false
	}
	pid := strings.TrimSpace(string(pidb))
	if _, err := strconv.Atoi(pid); err != nil {
		return 0, "", false
	}
	status := filepath.Join(root, "proc", pid, "status")
	b, err := os.ReadFile(status)
	if err != nil {
		return 0, "", false
	}
	set, err = parseCapBnd(b)
	if err != nil {
		return 0, "", false
	}
	return set, "CapBnd of dockerd (pid " + pid + ")", true
}

// runtimeIsWrapper reports whether the engine's default runtime is
// coalmine's wrapper.
func runtimeIsWrapper(info Info) bool {
	if info.DefaultRuntime == RuntimeName {
		return true
	}
	rt, ok := info.Runtimes[info.DefaultRuntime]
	return ok && rt.Path == WrapperPath
}

// QuickCaps decides whether privileged containers lack CAP_SYS_RESOURCE
// without starting a container when the local dockerd's bounding set can be
// read; otherwise it probes with a container like CheckCaps. kind nodes on
// such an engine need the runc wrapper inside too.
func QuickCaps(ctx context.Context, d Docker, root string) (CapReport, error) {
	info, err := d.Info(ctx)
	if err != nil {
		return CapReport{}, err
	}
	if set, ev, ok := dockerdCapBnd(root); ok {
		r := CapReport{
			Missing:        set&(1<<capSysResource) == 0,
			Evidence:       ev,
			DefaultRuntime: info.DefaultRuntime,
			WrapperRuntime: runtimeIsWrapper(info),
		}
		r.DefaultRuntimeOK = !r.Missing || r.WrapperRuntime
		return r, nil
	}
	return CheckCaps(ctx, d, info)
}

// CheckCaps starts a tiny privileged container under plain runc and, if
// that fails for lack of capabilities, under the engine's default runtime.
func CheckCaps(ctx context.Context, d Docker, info Info) (CapReport, error) {
	img, err := EnsureProbeImage(ctx, d)
	if err != nil {
		return CapReport{}, err
	}
	r := CapReport{DefaultRuntime: info.DefaultRuntime, WrapperRuntime: runtimeIsWrapper(info)}
	perr := runProbe(ctx, d, img, "runc")
	switch {
	case perr == nil:
		r.Evidence = "privileged container under plain runc started"
		r.DefaultRuntimeOK = true
		if info.DefaultRuntime != "runc" {
			r.DefaultRuntimeOK = runProbe(ctx, d, img, "") == nil
		}
		return r, nil
	case !strings.Contains(perr.Error(), capsError):
		return r, fmt.Errorf("probe container: %w", perr)
	}
	r.Missing = true
	r.Evidence = "privileged container under plain runc failed"
	r.PlainRuncError = firstLineWith(perr.Error(), capsError)
	if info.DefaultRuntime != "runc" {
		r.DefaultRuntimeOK = runProbe(ctx, d, img, "") == nil
	}
	return r, nil
}

// runProbe runs the probe image privileged under runtime ("" = default).
func runProbe(ctx context.Context, d Docker, img ProbeImage, runtime string) error {
	args := []string{"run", "--rm", "--privileged", "--network", "none", "--log-driver", "none"}
	if runtime != "" {
		args = append(args, "--runtime", runtime)
	}
	args = append(args, img.Ref)
	_, err := d.Run(ctx, args...)
	return err
}

// firstLineWith returns the part of the first line of s that starts with
// sub, without docker's trailing ": unknown".
func firstLineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, sub); i >= 0 {
			return strings.TrimSuffix(strings.TrimSpace(l[i:]), ": unknown")
		}
	}
	return strings.TrimSpace(s)
}
