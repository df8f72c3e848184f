package doctor

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func TestInstallWrapperIdempotent(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, WrapperPath)
	steps := []struct {
		name    string
		before  func()
		changed bool
	}{
		{"fresh root", func() {}, true},
		{"second run", func() {}, false},
		{"edited by hand", func() { _ = os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755) }, true},
		{"wrong mode", func() { _ = os.Chmod(p, 0o644) }, true},
		{"settled", func() {}, false},
	}
	for _, s := range steps {
		s.before()
		changed, err := InstallWrapper(root)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if changed != s.changed {
			t.Fatalf("%s: changed = %v, want %v", s.name, changed, s.changed)
		}
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o755 || !bytes.Equal(must(os.ReadFile(p)), wrapperScript) {
			t.Fatalf("%s: wrapper not installed as 0755 with the embedded content (%v)", s.name, err)
		}
	}
}

// The wrapper installed by hand on the project's machines must be exactly
// what --fix installs, so --fix is a no-op there.
func TestEmbeddedWrapperMatchesInstalled(t *testing.T) {
	b, err := os.ReadFile(WrapperPath)
	if err != nil {
		t.Skipf("no wrapper installed on this host: %v", err)
	}
	if !bytes.Equal(b, wrapperScript) {
		t.Fatalf("%s differs from the embedded runc-wrapper.sh", WrapperPath)
	}
}

// TestWrapperStripsCapSysResource runs the real script (sh + jq) against
// OCI specs, with runc replaced by a command that prints its arguments.
func TestWrapperStripsCapSysResource(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq not installed")
	}
	caps := []string{"CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_SYS_ADMIN"}
	spec := func(nested bool) []byte {
		set := map[string]any{"bounding": caps, "effective": caps, "permitted": caps}
		doc := map[string]any{"ociVersion": "1.0.2", "hostname": "x"}
		if nested {
			doc["process"] = map[string]any{"args": []string{"sh"}, "capabilities": set}
		} else {
			doc["args"] = []string{"sh"}
			doc["capabilities"] = set
		}
		return must(json.Marshal(doc))
	}
	for _, variant := range []struct {
		name   string
		script []byte
		exec   string
	}{
		{"host", wrapperScript, hostRuncExec},
		{"node", NodeWrapperScript(), nodeRuncExec},
	} {
		for _, tc := range []struct {
			name   string
			args   func(dir string) []string
			file   string
			nested bool
		}{
			{"create --bundle", func(d string) []string { return []string{"create", "--bundle", d, "id"} }, "config.json", true},
			{"run --bundle=", func(d string) []string { return []string{"run", "--bundle=" + d, "id"} }, "config.json", true},
			{"exec --process", func(d string) []string {
				return []string{"exec", "--process", filepath.Join(d, "process.json"), "id"}
			}, "process.json", false},
		} {
			t.Run(variant.name+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				file := filepath.Join(dir, tc.file)
				if err := os.WriteFile(file, spec(tc.nested), 0o600); err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(variant.script, []byte(variant.exec)) {
					t.Fatalf("script lacks its exec line %q", variant.exec)
				}
				script := bytes.Replace(variant.script, []byte(variant.exec), []byte(`echo "$@"`), 1)
				sp := filepath.Join(dir, "wrapper")
				if err := os.WriteFile(sp, script, 0o755); err != nil {
					t.Fatal(err)
				}
				args := tc.args(dir)
				out, err := exec.Command("sh", append([]string{sp}, args...)...).CombinedOutput()
				if err != nil {
					t.Fatalf("wrapper: %v: %s", err, out)
				}
				if got := strings.TrimSpace(string(out)); got != strings.Join(args, " ") {
					t.Errorf("runc got %q, want the arguments unchanged", got)
				}
				var doc map[string]any
				if err := json.Unmarshal(must(os.ReadFile(file)), &doc); err != nil {
					t.Fatal(err)
				}
				set := doc["capabilities"]
				if tc.nested {
					set = doc["process"].(map[string]any)["capabilities"]
				}
				for name, v := range set.(map[string]any) {
					var got []string
					for _, c := range v.([]any) {
						got = append(got, c.(string))
					}
					if want := []string{"CAP_CHOWN", "CAP_SYS_ADMIN"}; !slices.Equal(got, want) {
						t.Errorf("%s = %v, want %v", name, got, want)
					}
				}
				if doc["ociVersion"] != nil && doc["hostname"] != "x" {
					t.Errorf("other fields lost: %v", doc)
				}
			})
		}
	}
}

func TestNodeWrapperFindsRunc(t *testing.T) {
	s := string(NodeWrapperScript())
	if strings.Contains(s, hostRuncExec) {
		t.Fatal("node wrapper still execs /usr/sbin/runc only")
	}
	for _, p := range []string{"/usr/local/sbin/runc", "/usr/sbin/runc"} {
		if !strings.Contains(s, p) {
			t.Errorf("node wrapper does not look for %s", p)
		}
	}
}
