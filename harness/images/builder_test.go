package images

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testBuilder is a Builder over artifact-only targets: the whole build
// flow (plan, schedule, steps, logs, publish, cleanup) without Docker.
func testBuilder(t *testing.T, targets ...*Target) *Builder {
	t.Helper()
	b, err := New(Config{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	b.targets = targets
	if b.byName, err = index(targets); err != nil {
		t.Fatal(err)
	}
	return b
}

func writeOut(name, content string) Step {
	return Step{Name: "write " + name, Run: func(ctx context.Context, w *Work) error {
		return os.WriteFile(filepath.Join(w.Out, name), []byte(content), 0o644)
	}}
}

func TestBuildArtifactsAndCache(t *testing.T) {
	var cleaned []string
	var mu sync.Mutex
	a := &Target{Name: "a", Inputs: []Input{in("v", "1")}, Steps: []Step{writeOut("a.txt", "from a"), {
		Name: "register cleanup", Run: func(ctx context.Context, w *Work) error {
			dir := w.Dir
			w.OnCleanup(func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				cleaned = append(cleaned, dir)
				return nil
			})
			return nil
		}}}}
	b := &Target{Name: "b", Deps: []string{"a"}, Steps: []Step{{Name: "use a", Run: func(ctx context.Context, w *Work) error {
		got, err := os.ReadFile(filepath.Join(w.Artifact("a"), "a.txt"))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(w.Out, "b.txt"), append(got, " via b"...), 0o644)
	}}}}
	bld := testBuilder(t, a, b)
	ctx := context.Background()
	res, err := bld.Build(ctx, BuildOptions{Only: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Built, []string{"a", "b"}) || len(res.Cached) != 0 {
		t.Errorf("built %v cached %v, want a and b built", res.Built, res.Cached)
	}
	if res.Duration <= 0 {
		t.Errorf("duration %v not recorded", res.Duration)
	}
	got, err := os.ReadFile(filepath.Join(bld.artifactDir("b"), "b.txt"))
	if err != nil || string(got) != "from a via b" {
		t.Errorf("b.txt = %q, %v", got, err)
	}
	if len(cleaned) != 1 {
		t.Errorf("cleanups ran %d times, want 1", len(cleaned))
	}
	if _, err := os.Stat(cleaned[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("scratch dir %s left behind", cleaned[0])
	}
	log, err := os.ReadFile(res.Log)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"===== a: ok", "===== b: ok", "# step use a"} {
		if !strings.Contains(string(log), s) {
			t.Errorf("log lacks %q:\n%s", s, log)
		}
	}
	parts, _ := filepath.Glob(filepath.Join(bld.logDir(), "*.part"))
	if len(parts) != 0 {
		t.Errorf("part files left: %v", parts)
	}

	sts, err := bld.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if !s.UpToDate() || s.Image {
			t.Errorf("%s: %+v, want an up-to-date artifact", s.Name, s)
		}
	}
	res, err = bld.Build(ctx, BuildOptions{Only: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Built) != 0 || !slices.Equal(res.Cached, []string{"b"}) || res.Log != "" {
		t.Errorf("second build: %+v, want b cached and no log", res)
	}

	// A new input makes a stale, and b (whose hash chains a's) too.
	a.Inputs = []Input{in("v", "2")}
	bld2 := testBuilder(t, a, b)
	bld2.cfg.CacheDir = bld.cfg.CacheDir
	res, err = bld2.Build(ctx, BuildOptions{})
	if err == nil && len(res.Built) != 0 {
		t.Errorf("artifacts are built only when named or needed: built %v", res.Built)
	}
	res, err = bld2.Build(ctx, BuildOptions{Only: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Built, []string{"a", "b"}) {
		t.Errorf("after an input change built %v, want a and b", res.Built)
	}
}

func TestBuildFailureNamesTargetStepAndLog(t *testing.T) {
	bad := &Target{Name: "bad", Steps: []Step{
		writeOut("partial", "x"),
		{Name: "compile", Run: func(ctx context.Context, w *Work) error {
			return run(ctx, w.Log, Cmd{Name: "sh", Args: []string{"-c", "echo compiling; echo 'main.go:3: undefined: x' >&2; exit 3"}})
		}},
		{Name: "never", Run: func(ctx context.Context, w *Work) error {
			t.Error("a step after a failure ran")
			return nil
		}},
	}}
	good := &Target{Name: "good", Steps: []Step{writeOut("ok", "y")}}
	after := &Target{Name: "after", Deps: []string{"bad"}, Steps: []Step{writeOut("z", "z")}}
	bld := testBuilder(t, bad, good, after)
	_, err := bld.Build(context.Background(), BuildOptions{Only: []string{"bad", "good", "after"}})
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BuildError", err)
	}
	if be.Target != "bad" || be.Step != "compile" || !strings.Contains(be.Tail, "undefined: x") {
		t.Errorf("BuildError = %+v", be)
	}
	msg := err.Error()
	for _, s := range []string{"image bad", `step "compile"`, be.Log, "undefined: x", "exit status 3", "after: not built: dependency bad failed"} {
		if !strings.Contains(msg, s) {
			t.Errorf("error lacks %q:\n%s", s, msg)
		}
	}
	if _, err := os.Stat(bld.artifactDir("bad")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed artifact was published")
	}
	if _, err := os.Stat(filepath.Join(bld.artifactDir("good"), "ok")); err != nil {
		t.Errorf("an independent target was not built: %v", err)
	}
	left, _ := os.ReadDir(filepath.Join(bld.buildDir(), "tmp"))
	newDirs, _ := filepath.Glob(filepath.Join(bld.buildDir(), "out", "*.new-*"))
	if len(left) != 0 || len(newDirs) != 0 {
		t.Errorf("scratch left behind: %v %v", left, newDirs)
	}
}

// pidWriter cancels the build when the step prints its child's pid.
type pidWriter struct {
	once   sync.Once
	pid    chan int
	cancel context.CancelFunc
}

func (p *pidWriter) Write(b []byte) (int, error) {
	p.once.Do(func() {
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		p.pid <- n
		p.cancel()
	})
	return len(b), nil
}

func TestBuildCancelKillsProcessGroupAndCleansUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pw := &pidWriter{pid: make(chan int, 1), cancel: cancel}
	var scratch string
	slow := &Target{Name: "slow", Steps: []Step{{Name: "hang", Run: func(ctx context.Context, w *Work) error {
		scratch = w.Dir
		return run(ctx, w.Log, Cmd{Name: "sh", Args: []string{"-c", "sleep 300 & echo $!; wait"}, Stdout: pw})
	}}}}
	bld := testBuilder(t, slow)
	_, err := bld.Build(ctx, BuildOptions{Only: []string{"slow"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	pid := <-pw.pid
	// The grandchild (sleep) was in the killed process group: it must be
	// gone or a zombie waiting for init.
	if err := waitFor(context.Background(), 10*time.Second, func(context.Context) error {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return nil
		}
		if fields := strings.Fields(string(stat)); len(fields) > 2 && fields[2] == "Z" {
			return nil
		}
		return errors.New("still running")
	}); err != nil {
		t.Errorf("sleep %d survived the cancel: %v", pid, err)
	}
	if _, err := os.Stat(scratch); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("scratch dir %s left after cancel", scratch)
	}
}
