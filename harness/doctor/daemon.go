package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// Daemon reloads or restarts the Docker engine after its configuration
// changed.
type Daemon interface {
	// Reload asks the engine to re-read daemon.json (runtimes and
	// default-runtime are reloadable) without stopping containers.
	Reload(ctx context.Context) error
	// Restart stops and starts the engine.
	Restart(ctx context.Context) error
}

// DockerdLog is where a dockerd relaunched outside systemd writes.
const DockerdLog = "/var/log/coalmine-dockerd.log"

// HostDaemon controls the local dockerd: through systemctl when systemd
// manages docker.service, otherwise by signalling the process named in
// /var/run/docker.pid and relaunching it with the same command line in the
// background (output appended to DockerdLog).
type HostDaemon struct {
	Root   string
	Docker Docker
	// Timeout bounds each wait for the engine; 60 s when zero.
	Timeout time.Duration
}

func (h HostDaemon) timeout() time.Duration {
	if h.Timeout == 0 {
		return 60 * time.Second
	}
	return h.Timeout
}

// underSystemd reports whether systemd runs and manages an active docker unit.
func (h HostDaemon) underSystemd(ctx context.Context) bool {
	if _, err := os.Stat(filepath.Join(h.Root, "run/systemd/system")); err != nil {
		return false
	}
	return exec.CommandContext(ctx, "systemctl", "is-active", "--quiet", "docker").Run() == nil
}

func (h HostDaemon) pid() (int, error) {
	b, err := os.ReadFile(filepath.Join(h.Root, "var/run/docker.pid"))
	if err != nil {
		return 0, fmt.Errorf("find dockerd: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("find dockerd: bad pid file: %w", err)
	}
	return pid, nil
}

// Reload implements Daemon.
func (h HostDaemon) Reload(ctx context.Context) error {
	if h.underSystemd(ctx) {
		if out, err := exec.CommandContext(ctx, "systemctl", "reload", "docker").CombinedOutput(); err != nil {
			return fmt.Errorf("systemctl reload docker: %w: %s", err, bytes.TrimSpace(out))
		}
		return nil
	}
	pid, err := h.pid()
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		return fmt.Errorf("signal dockerd (pid %d): %w", pid, err)
	}
	return nil
}

// Restart implements Daemon.
func (h HostDaemon) Restart(ctx context.Context) error {
	if h.underSystemd(ctx) {
		if out, err := exec.CommandContext(ctx, "systemctl", "restart", "docker").CombinedOutput(); err != nil {
			return fmt.Errorf("systemctl restart docker: %w: %s", err, bytes.TrimSpace(out))
		}
		return waitEngine(ctx, h.Docker, h.timeout())
	}
	pid, err := h.pid()
	if err != nil {
		return err
	}
	args, err := cmdline(filepath.Join(h.Root, "proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop dockerd (pid %d): %w", pid, err)
	}
	if err := waitGone(ctx, filepath.Join(h.Root, "proc", strconv.Itoa(pid)), h.timeout()); err != nil {
		return fmt.Errorf("stop dockerd (pid %d): %w", pid, err)
	}
	if err := relaunch(args, filepath.Join(h.Root, DockerdLog)); err != nil {
		return err
	}
	return waitEngine(ctx, h.Docker, h.timeout())
}

func cmdline(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read dockerd command line: %w", err)
	}
	args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	if len(args) == 0 || args[0] == "" {
		return nil, errors.New("empty dockerd command line")
	}
	return args, nil
}

// relaunch starts args detached (new session), output appended to logPath.
func relaunch(args []string, logPath string) error {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", logPath, err)
	}
	defer logf.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", args[0], err)
	}
	return cmd.Process.Release()
}

// pollEvery is the interval of doctor's poll-with-deadline loops.
const pollEvery = 250 * time.Millisecond

func waitGone(ctx context.Context, procDir string, timeout time.Duration) error {
	return wait.PollUntilContextTimeout(ctx, pollEvery, timeout, true, func(context.Context) (bool, error) {
		b, err := os.ReadFile(filepath.Join(procDir, "stat"))
		if errors.Is(err, os.ErrNotExist) {
			return true, nil
		}
		// A zombie (state Z after the command name) has exited too.
		i := bytes.LastIndexByte(b, ')')
		return err == nil && i >= 0 && i+2 < len(b) && b[i+2] == 'Z', nil
	})
}

// waitEngine waits until the engine answers docker info.
func waitEngine(ctx context.Context, d Docker, timeout time.Duration) error {
	var last error
	err := wait.PollUntilContextTimeout(ctx, pollEvery, timeout, true, func(context.Context) (bool, error) {
		_, last = d.Info(ctx)
		return last == nil, nil
	})
	if err != nil {
		return fmt.Errorf("docker engine did not answer within %s (see %s): %w", timeout, DockerdLog, errors.Join(err, last))
	}
	return nil
}
