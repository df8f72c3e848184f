package doctor

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// fakeDockerd behaves like dockerd towards HostDaemon: it writes its pid
// file, records SIGHUP and exits on SIGTERM. Its signal handlers are set
// before it writes the pid file, which tells the test the engine is up.
const fakeDockerd = `#!/bin/sh
root="$1"
trap 'echo hup >> "$root/hups"' HUP
trap 'rm -f "$root/var/run/docker.pid"; kill $child 2>/dev/null; exit 0' TERM
echo $$ > "$root/var/run/docker.pid"
while :; do sleep 1 & child=$!; wait $child; done
`

// fakeDockerCLI answers `docker info` while the pid file names a live process.
const fakeDockerCLI = `#!/bin/sh
pid=$(cat "%s/var/run/docker.pid" 2>/dev/null) || exit 1
kill -0 "$pid" 2>/dev/null || exit 1
echo '{"ServerVersion":"fake","DefaultRuntime":"runc"}'
`

func setupFakeEngine(t *testing.T) (root string, d Docker, first *exec.Cmd) {
	t.Helper()
	root = t.TempDir()
	for _, dir := range []string{"var/run", "var/log", "bin"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/proc", filepath.Join(root, "proc")); err != nil {
		t.Fatal(err)
	}
	dockerd := filepath.Join(root, "bin/dockerd")
	cli := filepath.Join(root, "bin/docker")
	if err := os.WriteFile(dockerd, []byte(fakeDockerd), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cli, []byte(strings.Replace(fakeDockerCLI, "%s", root, 1)), 0o755); err != nil {
		t.Fatal(err)
	}
	// A shell started with SIGHUP ignored cannot trap it, and go test
	// under nohup starts everything so: catching SIGHUP here makes the
	// children start with its default disposition instead.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	t.Cleanup(func() { signal.Stop(hup) })
	first = exec.Command("sh", dockerd, root)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = first.Process.Kill()
		_ = first.Wait()
	})
	d = Docker{Bin: cli}
	if err := waitEngine(context.Background(), d, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return root, d, first
}

func readPid(t *testing.T, root string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "var/run/docker.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestHostDaemonRestartRelaunchesSameCommandLine(t *testing.T) {
	root, d, first := setupFakeEngine(t)
	old := first.Process.Pid
	h := HostDaemon{Root: root, Docker: d, Timeout: 20 * time.Second}
	if err := h.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	pid := readPid(t, root)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
	if pid == old {
		t.Fatalf("engine pid unchanged (%d)", pid)
	}
	args, err := cmdline(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil || strings.Join(args, " ") != "sh "+filepath.Join(root, "bin/dockerd")+" "+root {
		t.Fatalf("relaunched as %q (%v)", args, err)
	}
	if _, err := os.Stat(filepath.Join(root, DockerdLog)); err != nil {
		t.Errorf("no dockerd log: %v", err)
	}
}

func TestHostDaemonReloadSendsHUP(t *testing.T) {
	root, d, _ := setupFakeEngine(t)
	h := HostDaemon{Root: root, Docker: d}
	if err := h.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := wait.PollUntilContextTimeout(context.Background(), pollEvery, 10*time.Second, true, func(context.Context) (bool, error) {
		b, _ := os.ReadFile(filepath.Join(root, "hups"))
		return strings.TrimSpace(string(b)) == "hup", nil
	})
	if err != nil {
		t.Fatal("dockerd did not get SIGHUP")
	}
}
