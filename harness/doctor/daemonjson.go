package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
)

// ErrDefaultRuntimeConflict is returned when daemon.json already names a
// different default runtime (for example a GPU runtime) that --fix would
// replace; rerun with force to replace it anyway.
var ErrDefaultRuntimeConflict = errors.New("daemon.json already sets another default-runtime")

// MergeDaemonJSON registers runtime name at path in a daemon.json document
// and makes it the default runtime, keeping every other setting. It
// reports whether the document changed; out is existing unchanged then.
func MergeDaemonJSON(existing []byte, name, path string, force bool) (out []byte, changed bool, err error) {
	doc := map[string]any{}
	if len(bytes.TrimSpace(existing)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(existing))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, false, fmt.Errorf("parse daemon.json: %w", err)
		}
	}
	before, err := json.Marshal(doc)
	if err != nil {
		return nil, false, err
	}
	runtimes, _ := doc["runtimes"].(map[string]any)
	if doc["runtimes"] != nil && runtimes == nil {
		return nil, false, fmt.Errorf("daemon.json: runtimes is not an object")
	}
	if runtimes == nil {
		runtimes = map[string]any{}
	}
	want := map[string]any{"path": path}
	if !reflect.DeepEqual(runtimes[name], want) {
		runtimes[name] = want
	}
	doc["runtimes"] = runtimes
	if cur, _ := doc["default-runtime"].(string); cur != "" && cur != "runc" && cur != name && !force {
		return nil, false, fmt.Errorf("%w: %q (coalmine needs %q)", ErrDefaultRuntimeConflict, cur, name)
	}
	doc["default-runtime"] = name
	after, err := json.Marshal(doc)
	if err != nil {
		return nil, false, err
	}
	if bytes.Equal(before, after) {
		return existing, false, nil
	}
	out, err = json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, false, err
	}
	return append(out, '\n'), true, nil
}

// InstallDaemonJSON merges the wrapper runtime into root's daemon.json,
// keeping a one-time backup of the original next to it. It reports whether
// the file changed (the engine then needs a reload).
func InstallDaemonJSON(root string, force bool) (bool, error) {
	p := filepath.Join(root, DaemonJSONPath)
	old, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("read %s: %w", p, err)
	}
	out, changed, err := MergeDaemonJSON(old, RuntimeName, WrapperPath, force)
	if err != nil {
		return false, fmt.Errorf("%s: %w", p, err)
	}
	if !changed {
		return false, nil
	}
	if len(old) > 0 {
		bak := p + ".coalmine-backup"
		if _, err := os.Stat(bak); errors.Is(err, os.ErrNotExist) {
			if err := os.WriteFile(bak, old, 0o644); err != nil {
				return false, fmt.Errorf("back up %s: %w", p, err)
			}
		}
	}
	return writeFileIfChanged(p, out, 0o644)
}
