package images

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coalmine/coalmine/internal/hostdeps"
)

// Tool names of Target.Tools that stand for Config.Docker and Config.Go.
const (
	toolDocker = "docker"
	toolGo     = "go"
)

// Config configures a Builder. Zero values get defaults.
type Config struct {
	// CacheDir holds wrapper modules, artifacts, package caches, scratch
	// space (build/) and build logs (logs/). Default: the user cache
	// directory + "/coalmine".
	CacheDir string
	// Jobs bounds how many targets build at once (default 2: the Go
	// builds share the CPU and the Go build cache).
	Jobs int
	// AptDir is the apt configuration the Debian mirror is read from
	// (default /etc/apt).
	AptDir string
	// Docker and Go are the commands run (default "docker" and "go").
	Docker, Go string
	// Progress receives per-image progress (a table on a TTY, plain
	// lines otherwise); nil shows nothing.
	Progress io.Writer
	// Logger receives debug messages; nil discards them.
	Logger *slog.Logger
	// Faultapp writes faultapp's Docker build context into dir; nil
	// leaves the faultapp image out of the build.
	Faultapp FaultappSource
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Builder builds the local image set.
type Builder struct {
	cfg     Config
	docker  docker
	targets []*Target
	byName  map[string]*Target
	mods    sync.Map // module@version → modInfo
	times   *buildTimes

	hashOnce sync.Once
	hashes   map[string]string
	hashErr  error

	faultappOnce sync.Once
	faultappErr  error
}

// New returns a Builder with cfg's defaults filled in.
func New(cfg Config) (*Builder, error) {
	if cfg.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("cache dir: %w", err)
		}
		cfg.CacheDir = filepath.Join(dir, "coalmine")
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = 2
	}
	if cfg.AptDir == "" {
		cfg.AptDir = "/etc/apt"
	}
	if cfg.Docker == "" {
		cfg.Docker = "docker"
	}
	if cfg.Go == "" {
		cfg.Go = "go"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	b := &Builder{cfg: cfg, docker: docker{bin: cfg.Docker}, times: loadBuildTimes(cfg.CacheDir)}
	b.targets = b.catalog()
	byName, err := index(b.targets)
	if err != nil {
		return nil, err
	}
	b.byName = byName
	return b, nil
}

func (b *Builder) buildDir() string { return filepath.Join(b.cfg.CacheDir, "build") }
func (b *Builder) logDir() string   { return filepath.Join(b.cfg.CacheDir, "logs") }

// artifactDir is where artifact target name keeps its files.
func (b *Builder) artifactDir(name string) string {
	return filepath.Join(b.buildDir(), "out", name)
}

// stampFile records the input hash an artifact was built from.
const stampFile = ".coalmine-inputs"

// Names lists every target name, images and artifacts.
func (b *Builder) Names() []string { return names(b.targets) }

// hashesFor computes every target's input hash once.
func (b *Builder) hashesFor(ctx context.Context) (map[string]string, error) {
	b.hashOnce.Do(func() {
		common := []Input{in("go", b.goVersion(ctx))}
		extra := map[string][]Input{}
		for _, t := range b.targets {
			if t.DynamicInputs == nil {
				continue
			}
			ins, err := t.DynamicInputs(ctx, b)
			if err != nil {
				b.cfg.Logger.Warn("inputs of "+t.Name, "err", err)
				ins = []Input{in("error", err.Error())}
			}
			extra[t.Name] = ins
		}
		b.hashes, b.hashErr = hashAll(b.targets, common, extra)
	})
	return b.hashes, b.hashErr
}

// goVersion is the toolchain the Go builds use: a new Go rebuilds.
func (b *Builder) goVersion(ctx context.Context) string {
	out, err := output(ctx, io.Discard, Cmd{Name: b.cfg.Go, Args: []string{"env", "GOVERSION"}, Env: goEnv()})
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// current reads what exists now: image labels, artifact stamps.
func (b *Builder) current(ctx context.Context) (map[string]imageState, error) {
	cur := make(map[string]imageState, len(b.targets))
	for _, t := range b.targets {
		if !t.IsImage() {
			stamp, err := os.ReadFile(filepath.Join(b.artifactDir(t.Name), stampFile))
			if err == nil {
				cur[t.Name] = imageState{Present: true, Inputs: strings.TrimSpace(string(stamp))}
			}
			continue
		}
		st, err := b.docker.inspect(ctx, t.Ref)
		if err != nil {
			return nil, err
		}
		cur[t.Name] = st
	}
	return cur, nil
}

// Status is the state of one target.
type Status struct {
	Name string `json:"name"`
	// Ref is the image reference, or the artifact directory.
	Ref   string `json:"ref"`
	Image bool   `json:"image"`
	// Present reports whether the image (or artifact) exists.
	Present bool `json:"present"`
	// Hash is the input hash it must carry to be up to date.
	Hash string `json:"hash"`
	// Current is the input hash it carries now.
	Current string `json:"current,omitempty"`
}

// UpToDate reports whether the target exists and matches its inputs.
func (s Status) UpToDate() bool { return s.Present && s.Current == s.Hash }

// Status reports every target, in build order.
func (b *Builder) Status(ctx context.Context) ([]Status, error) {
	hashes, err := b.hashesFor(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := b.current(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(b.targets))
	for _, t := range b.targets {
		ref := t.Ref
		if !t.IsImage() {
			ref = b.artifactDir(t.Name)
		}
		out = append(out, Status{
			Name: t.Name, Ref: ref, Image: t.IsImage(),
			Present: cur[t.Name].Present, Hash: hashes[t.Name], Current: cur[t.Name].Inputs,
		})
	}
	return out, nil
}

// BuildOptions select what Build does.
type BuildOptions struct {
	// Only names the targets to build (default: every image); their
	// missing or stale dependencies are built too.
	Only []string
	// Force rebuilds the selected targets even when up to date.
	Force bool
}

// Result summarises a build.
type Result struct {
	// Built are the targets (re)built, or attempted when Build fails;
	// Cached those found up to date.
	Built, Cached []string
	// Log is the build log file (empty when nothing was built).
	Log      string
	Duration time.Duration
}

// Build brings the selected images up to date. Errors name the image, the
// step and the log file, and quote the end of the image's log.
func (b *Builder) Build(ctx context.Context, opts BuildOptions) (res Result, err error) {
	start := b.cfg.Now()
	prog := newProgress(b.cfg.Progress, b.cfg.Now)
	defer prog.close()
	prog.line("images: computing inputs and checking existing images")
	p, hashes, cur, err := b.plan(ctx, opts)
	if err != nil {
		return Result{}, err
	}
	for _, t := range p.Involved {
		if reason, ok := p.Build[t.Name]; ok {
			res.Built = append(res.Built, t.Name)
			prog.set(t.Name, stateQueued, "", "("+reason+")")
		} else {
			res.Cached = append(res.Cached, t.Name)
			prog.set(t.Name, stateCached, "", "")
		}
	}
	defer func() { res.Duration = b.cfg.Now().Sub(start) }()
	if len(res.Built) == 0 {
		return res, nil
	}
	var order []*Target
	for _, t := range p.Involved {
		if _, ok := p.Build[t.Name]; ok {
			order = append(order, t)
		}
	}
	if err := hostdeps.Check(b.tools(order)...); err != nil {
		return res, fmt.Errorf("images build: %w", err)
	}
	prog.plan(order, b.times, b.cfg.Jobs)
	prog.summary(len(order))
	lg, err := newBuildLog(b.logDir(), b.cfg.Now())
	if err != nil {
		return res, err
	}
	res.Log = lg.path
	failed := schedule(ctx, p, b.cfg.Jobs, func(ctx context.Context, t *Target) error {
		return b.buildTarget(ctx, t, hashes[t.Name], cur[t.Name], lg, prog)
	})
	for name, err := range failed {
		var dep errDepFailed
		var be *BuildError
		if errors.As(err, &dep) || (ctx.Err() != nil && !errors.As(err, &be)) {
			prog.set(name, stateSkipped, "", "")
		}
	}
	if ctx.Err() != nil && len(failed) > 0 {
		return res, fmt.Errorf("images build interrupted (log: %s): %w", lg.path, ctx.Err())
	}
	return res, joinFailures(p, failed)
}

// plan validates the options, hashes every target, reads what exists and
// decides what to build.
func (b *Builder) plan(ctx context.Context, opts BuildOptions) (plan, map[string]string, map[string]imageState, error) {
	for _, n := range opts.Only {
		if _, ok := b.byName[n]; !ok {
			return plan{}, nil, nil, fmt.Errorf("unknown image %q (known: %s)", n, strings.Join(b.Names(), ", "))
		}
	}
	hashes, err := b.hashesFor(ctx)
	if err != nil {
		return plan{}, nil, nil, err
	}
	cur, err := b.current(ctx)
	if err != nil {
		return plan{}, nil, nil, err
	}
	p, err := planBuild(b.targets, hashes, cur, opts.Only, opts.Force)
	return p, hashes, cur, err
}

// joinFailures orders failures like the plan; direct failures first.
func joinFailures(p plan, failed map[string]error) error {
	var errs, skipped []error
	for _, t := range p.Involved {
		err, ok := failed[t.Name]
		if !ok {
			continue
		}
		var dep errDepFailed
		if errors.As(err, &dep) {
			skipped = append(skipped, fmt.Errorf("%s: %w", t.Name, err))
			continue
		}
		errs = append(errs, err)
	}
	return errors.Join(append(errs, skipped...)...)
}

// tools lists the host executables the targets run, once each.
func (b *Builder) tools(targets []*Target) []string {
	var out []string
	for _, t := range targets {
		for _, tool := range t.Tools {
			switch tool {
			case toolDocker:
				tool = b.cfg.Docker
			case toolGo:
				tool = b.cfg.Go
			}
			if !slices.Contains(out, tool) {
				out = append(out, tool)
			}
		}
	}
	return out
}
