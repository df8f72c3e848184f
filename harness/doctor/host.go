package doctor

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// inotify limits kind needs (kind's known-issues page recommends these).
const (
	WantMaxUserWatches   = 524288
	WantMaxUserInstances = 512
)

const (
	inotifyWatches   = "proc/sys/fs/inotify/max_user_watches"
	inotifyInstances = "proc/sys/fs/inotify/max_user_instances"
	// SysctlConf persists the raised limits across reboots.
	SysctlConf = "/etc/sysctl.d/99-coalmine-inotify.conf"
)

// Inotify holds the current inotify limits.
type Inotify struct {
	MaxUserWatches   int `json:"maxUserWatches"`
	MaxUserInstances int `json:"maxUserInstances"`
}

// OK reports whether both limits are high enough for kind.
func (i Inotify) OK() bool {
	return i.MaxUserWatches >= WantMaxUserWatches && i.MaxUserInstances >= WantMaxUserInstances
}

func readIntFile(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// ReadInotify reads the inotify limits under root.
func ReadInotify(root string) (Inotify, error) {
	w, err := readIntFile(filepath.Join(root, inotifyWatches))
	if err != nil {
		return Inotify{}, fmt.Errorf("read inotify limits: %w", err)
	}
	n, err := readIntFile(filepath.Join(root, inotifyInstances))
	if err != nil {
		return Inotify{}, fmt.Errorf("read inotify limits: %w", err)
	}
	return Inotify{MaxUserWatches: w, MaxUserInstances: n}, nil
}

// RaiseInotify raises both limits to at least the wanted values, now
// (/proc/sys) and across reboots (SysctlConf). It never lowers a limit.
func RaiseInotify(root string) (changed bool, err error) {
	cur, err := ReadInotify(root)
	if err != nil {
		return false, err
	}
	w := max(cur.MaxUserWatches, WantMaxUserWatches)
	n := max(cur.MaxUserInstances, WantMaxUserInstances)
	conf := fmt.Sprintf("# written by coalmine doctor --fix: kind nodes need more inotify watches\n"+
		"fs.inotify.max_user_watches = %d\nfs.inotify.max_user_instances = %d\n", w, n)
	changed, err = writeFileIfChanged(filepath.Join(root, SysctlConf), []byte(conf), 0o644)
	if err != nil {
		return false, err
	}
	for path, v := range map[string]int{inotifyWatches: w, inotifyInstances: n} {
		if path == inotifyWatches && cur.MaxUserWatches == v || path == inotifyInstances && cur.MaxUserInstances == v {
			continue
		}
		if err := os.WriteFile(filepath.Join(root, path), []byte(strconv.Itoa(v)+"\n"), 0o644); err != nil {
			return changed, fmt.Errorf("raise %s: %w", strings.ReplaceAll(strings.TrimPrefix(path, "proc/sys/"), "/", "."), err)
		}
		changed = true
	}
	return changed, nil
}

// FreeBytes returns the bytes available to unprivileged users on the file
// system holding path.
func FreeBytes(path string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("statfs %s: %w", path, err)
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// PortFree reports whether 127.0.0.1:port can be bound now.
func PortFree(port int) (bool, error) {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return false, nil
		}
		return false, err
	}
	return true, l.Close()
}
