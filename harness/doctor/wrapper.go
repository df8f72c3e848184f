package doctor

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/coalmine/coalmine/internal/atomicfile"
)

// The runc wrapper: a jq-based sh script that removes CAP_SYS_RESOURCE
// from the OCI spec runc is about to use (<bundle>/config.json for
// create/run, the --process JSON for exec), then execs runc.
const (
	// RuntimeName is the wrapper's name in Docker's runtimes.
	RuntimeName = "coalmine-runc"
	// WrapperPath is where the wrapper lives on the host, and where it is
	// mounted inside kind nodes.
	WrapperPath = "/usr/local/libexec/coalmine/runc-wrapper"
	// DaemonJSONPath is Docker's daemon configuration file.
	DaemonJSONPath = "/etc/docker/daemon.json"
)

//go:embed runc-wrapper.sh
var wrapperScript []byte

// hostRuncExec is the last line of the host wrapper; the node variant
// replaces it because kindest/node keeps runc in /usr/local/sbin.
const hostRuncExec = `exec /usr/sbin/runc "$@"`

const nodeRuncExec = `for r in /usr/local/sbin/runc /usr/sbin/runc /usr/bin/runc; do [ -x "$r" ] && exec "$r" "$@"; done
echo "coalmine runc-wrapper: no runc found" >&2; exit 127`

// WrapperScript returns the host wrapper script (what --fix installs).
func WrapperScript() []byte { return bytes.Clone(wrapperScript) }

// NodeWrapperScript returns the wrapper for inside a kind node: the same
// filter, with runc looked up where kindest/node (/usr/local/sbin) and
// Debian (/usr/sbin) keep it. jq is in both node images.
func NodeWrapperScript() []byte {
	s := string(wrapperScript)
	if !strings.Contains(s, hostRuncExec) {
		panic("doctor: embedded runc wrapper lacks its exec line")
	}
	return []byte(strings.Replace(s, hostRuncExec, nodeRuncExec, 1))
}

// InstallWrapper writes the host wrapper to WrapperPath under root (mode
// 0755). It reports whether the file changed; an identical file is left
// alone.
func InstallWrapper(root string) (changed bool, err error) {
	return writeFileIfChanged(filepath.Join(root, WrapperPath), wrapperScript, 0o755)
}

// writeFileIfChanged atomically replaces path with data unless it already
// holds exactly data with mode perm.
func writeFileIfChanged(path string, data []byte, perm os.FileMode) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm() == perm {
			return false, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := atomicfile.WriteBytes(path, perm, data); err != nil {
		return false, err
	}
	return true, nil
}
