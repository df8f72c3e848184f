package images

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/coalmine/coalmine/harness/pins"
)

// debootstrap creates a minbase Debian root filesystem of pins.DebianSuite
// with packages at dir, from the machine's own apt mirror, caching the
// downloaded packages per target.
func debootstrap(ctx context.Context, w *Work, dir string, packages []string) error {
	m, err := findMirror(w.b.cfg.AptDir, pins.DebianSuite)
	if err != nil {
		return err
	}
	w.Logf("apt mirror %s (from %s)", m.URI, m.File)
	cache := filepath.Join(w.b.buildDir(), "debs", w.Target.Name)
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	args := []string{
		"--variant=minbase",
		"--include=" + strings.Join(packages, ","),
		"--cache-dir=" + cache,
	}
	if len(m.Components) > 0 {
		args = append(args, "--components="+strings.Join(m.Components, ","))
	}
	if m.SignedBy != "" {
		if _, err := os.Stat(m.SignedBy); err == nil {
			args = append(args, "--keyring="+m.SignedBy)
		}
	}
	args = append(args, pins.DebianSuite, dir, m.URI)
	// debootstrap mounts /proc and /sys in the target while it installs;
	// make sure they are gone even when it is killed.
	w.OnCleanup(func(context.Context) error { return unmountUnder(dir) })
	return run(ctx, w.Log, Cmd{Name: "debootstrap", Args: args})
}

// slimRootfs removes what a container image does not need: package
// caches and lists, logs, documentation, and the device nodes (the
// container runtime provides /dev).
func slimRootfs(dir string) error {
	for _, g := range []string{
		"dev/*", "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb", "var/cache/debconf/*-old",
		"var/lib/apt/lists/*", "var/log/*", "tmp/*", "var/tmp/*",
		"usr/share/doc/*", "usr/share/doc-base/*", "usr/share/man/*", "usr/share/info/*",
	} {
		matches, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			return err
		}
		for _, m := range matches {
			if err := os.RemoveAll(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// chroot runs a shell script inside the root filesystem dir.
func chroot(ctx context.Context, w *Work, dir, script string) error {
	return run(ctx, w.Log, Cmd{
		Name: "chroot",
		Args: []string{dir, "/bin/sh", "-euxc", script},
		Env:  []string{"DEBIAN_FRONTEND=noninteractive", "LC_ALL=C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
	})
}

// tarRootfs is the command that writes dir as a tar stream on stdout.
func tarRootfs(dir string) Cmd {
	return Cmd{Name: "tar", Args: []string{
		"--numeric-owner", "--xattrs", "--xattrs-include=security.capability",
		"-C", dir, "-cf", "-", ".",
	}}
}

// removeAll removes dir after detaching every mount below it, and refuses
// to recurse into a directory that still has mounts (a leftover /proc or
// bind mount would otherwise be deleted through).
func removeAll(dir string) error {
	if err := unmountUnder(dir); err != nil {
		return err
	}
	left, err := mountsUnder(dir)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		return fmt.Errorf("not removing %s: still mounted: %s", dir, strings.Join(left, ", "))
	}
	return os.RemoveAll(dir)
}

// unmountUnder lazily unmounts every mount point at or below dir, deepest
// first.
func unmountUnder(dir string) error {
	mounts, err := mountsUnder(dir)
	if err != nil {
		return err
	}
	sort.Slice(mounts, func(i, j int) bool { return len(mounts[i]) > len(mounts[j]) })
	for _, m := range mounts {
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil && err != syscall.EINVAL && err != syscall.ENOENT {
			return fmt.Errorf("unmount %s: %w", m, err)
		}
	}
	return nil
}

// mountsUnder lists mount points at or below dir from /proc/self/mountinfo.
func mountsUnder(dir string) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseMountsUnder(bufio.NewScanner(f), abs)
}

func parseMountsUnder(sc *bufio.Scanner, dir string) ([]string, error) {
	var out []string
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMountinfo(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// unescapeMountinfo decodes the octal escapes (\040 for a space...) of
// /proc/self/mountinfo paths.
func unescapeMountinfo(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// rootfsTarball is the file a rootfs artifact holds.
const rootfsTarball = "rootfs.tar"

// rootfsTarget is an artifact holding a minbase Debian root filesystem
// with packages, as a tarball. It needs the network and the disk, hardly
// the CPU, so it is Light: it bootstraps while the Go builds run instead
// of after them.
func rootfsTarget(name string, packages []string) *Target {
	return &Target{
		Name: name, Light: true, Tools: []string{"debootstrap", "tar"},
		Inputs: []Input{in("suite", pins.DebianSuite), in("packages", strings.Join(packages, ","))},
		Steps: []Step{{Name: "debootstrap", Run: func(ctx context.Context, w *Work) error {
			dir := w.Path("rootfs")
			if err := debootstrap(ctx, w, dir, packages); err != nil {
				return err
			}
			if err := unmountUnder(dir); err != nil {
				return err
			}
			f, err := os.Create(filepath.Join(w.Out, rootfsTarball))
			if err != nil {
				return err
			}
			tar := tarRootfs(dir)
			tar.Stdout = f
			return errors.Join(run(ctx, w.Log, tar), f.Close())
		}}},
	}
}

// unpackRootfs extracts the rootfs artifact dep into dir.
func unpackRootfs(ctx context.Context, w *Work, dep, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return run(ctx, w.Log, Cmd{Name: "tar", Args: []string{
		"--numeric-owner", "--xattrs", "--xattrs-include=security.capability", "-p",
		"-C", dir, "-xf", filepath.Join(w.Artifact(dep), rootfsTarball),
	}})
}
