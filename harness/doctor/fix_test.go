package doctor

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeEngineCLI is a docker CLI stand-in for an engine on a host without
// CAP_SYS_RESOURCE: privileged containers fail under plain runc, and under
// the default runtime until that is coalmine-runc. State lives in files.
const fakeEngineCLI = `#!/bin/sh
st=__STATE__
rt=$(cat "$st/runtime" 2>/dev/null || echo runc)
caps() { echo 'docker: Error response from daemon: failed to create shim: OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown.' >&2; exit 125; }
case "$1" in
info) echo "{\"ServerVersion\":\"fake\",\"DefaultRuntime\":\"$rt\",\"CgroupVersion\":\"1\",\"CgroupDriver\":\"cgroupfs\",\"DockerRootDir\":\"$st\"}";;
image) case "$2" in inspect) echo sha256:probe;; esac;;
run) case " $* " in *" --runtime runc "*) caps;; esac; [ "$rt" = coalmine-runc ] || caps;;
ps) cat "$st/running" 2>/dev/null;;
esac
`

type fakeDaemon struct {
	state            string
	reloadTakes      bool
	reloads, restart int
}

func (f *fakeDaemon) Reload(context.Context) error {
	f.reloads++
	if f.reloadTakes {
		return os.WriteFile(filepath.Join(f.state, "runtime"), []byte(RuntimeName), 0o644)
	}
	return nil
}

func (f *fakeDaemon) Restart(context.Context) error {
	f.restart++
	return os.WriteFile(filepath.Join(f.state, "runtime"), []byte(RuntimeName), 0o644)
}

func TestFix(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq not installed")
	}
	tests := []struct {
		name         string
		reloadTakes  bool
		running      string
		force        bool
		wantRestarts int
		wantCaps     Level
		wantText     string
	}{
		{name: "reload suffices", reloadTakes: true, wantCaps: Fixed},
		{name: "restart when reload does not take", wantRestarts: 1, wantCaps: Fixed},
		{name: "refuse to restart over running containers", running: "abc\n", wantCaps: Fail, wantText: "1 containers are running"},
		{name: "force restart over running containers", running: "abc\n", force: true, wantRestarts: 1, wantCaps: Fixed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			state := filepath.Join(root, "state")
			_ = os.MkdirAll(state, 0o755)
			_ = os.WriteFile(filepath.Join(state, "running"), []byte(tc.running), 0o644)
			cli := filepath.Join(root, "docker")
			_ = os.WriteFile(cli, []byte(strings.Replace(fakeEngineCLI, "__STATE__", state, 1)), 0o755)
			writeInotify(t, root, 8192, 128)
			fd := &fakeDaemon{state: state, reloadTakes: tc.reloadTakes}
			o := Options{Root: root, Docker: Docker{Bin: cli}, Daemon: fd, Force: tc.force,
				ReloadWait: 500 * time.Millisecond}

			before := Run(context.Background(), o)
			if got := level(before, "capabilities"); got != Fail {
				t.Fatalf("before fix: capabilities %s: %+v", got, before.Results)
			}
			rep := Fix(context.Background(), o)
			if got := level(rep, "capabilities"); got != tc.wantCaps {
				t.Fatalf("capabilities = %s, want %s: %+v", got, tc.wantCaps, rep.Results)
			}
			if got := level(rep, "inotify"); got != Fixed {
				t.Errorf("inotify = %s", got)
			}
			if fd.restart != tc.wantRestarts {
				t.Errorf("restarts = %d, want %d", fd.restart, tc.wantRestarts)
			}
			if !bytes.Equal(must(os.ReadFile(filepath.Join(root, WrapperPath))), wrapperScript) {
				t.Error("wrapper not installed")
			}
			doc := decode(t, must(os.ReadFile(filepath.Join(root, DaemonJSONPath))))
			if doc["default-runtime"] != RuntimeName {
				t.Errorf("daemon.json = %v", doc)
			}
			if tc.wantCaps != Fixed {
				var out bytes.Buffer
				_ = WriteText(&out, rep)
				if !strings.Contains(out.String(), tc.wantText) {
					t.Errorf("report lacks %q:\n%s", tc.wantText, out.String())
				}
				return
			}
			// A second --fix changes nothing.
			again := Fix(context.Background(), o)
			if len(again.Actions) != 0 || again.Failed() || fd.restart != tc.wantRestarts {
				t.Errorf("second fix not idempotent: actions %v, results %+v", again.Actions, again.Results)
			}
			var out bytes.Buffer
			if err := WriteText(&out, again); err != nil || !strings.Contains(out.String(), "already fixed") {
				t.Errorf("report does not say already fixed:\n%s", out.String())
			}
		})
	}
}

func level(r Report, check string) Level {
	var l Level
	for _, res := range r.Results {
		if res.Check == check {
			l = res.Level // a later fix-failure entry wins
		}
	}
	return l
}
