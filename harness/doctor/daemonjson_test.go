package doctor

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestMergeDaemonJSON(t *testing.T) {
	const handInstalled = `{"runtimes": {"coalmine-runc": {"path": "/usr/local/libexec/coalmine/runc-wrapper"}}, "default-runtime": "coalmine-runc"}`
	wantRuntime := map[string]any{"path": WrapperPath}
	tests := []struct {
		name        string
		in          string
		force       bool
		wantChanged bool
		wantErr     error
		wantKeep    map[string]any // other keys that must survive
	}{
		{name: "absent", in: "", wantChanged: true},
		{name: "empty object", in: "{}", wantChanged: true},
		{name: "already fixed by hand", in: handInstalled, wantChanged: false},
		{name: "other settings kept", in: `{"log-driver":"json-file","registry-mirrors":["http://127.0.0.1:5000"],"max-concurrent-downloads":3}`,
			wantChanged: true, wantKeep: map[string]any{"log-driver": "json-file", "registry-mirrors": []any{"http://127.0.0.1:5000"}, "max-concurrent-downloads": json.Number("3")}},
		{name: "other runtimes kept", in: `{"runtimes":{"nvidia":{"path":"nvidia-container-runtime"}}}`, wantChanged: true,
			wantKeep: map[string]any{"runtimes": map[string]any{"nvidia": map[string]any{"path": "nvidia-container-runtime"}, RuntimeName: map[string]any{"path": WrapperPath}}}},
		{name: "default runc replaced", in: `{"default-runtime":"runc"}`, wantChanged: true},
		{name: "stale wrapper path", in: `{"runtimes":{"coalmine-runc":{"path":"/old"}},"default-runtime":"coalmine-runc"}`, wantChanged: true},
		{name: "other default runtime refused", in: `{"default-runtime":"nvidia"}`, wantErr: ErrDefaultRuntimeConflict},
		{name: "other default runtime forced", in: `{"default-runtime":"nvidia"}`, force: true, wantChanged: true},
		{name: "runtimes not an object", in: `{"runtimes":[]}`, wantErr: errAny},
		{name: "broken json", in: `{"runtimes":`, wantErr: errAny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, changed, err := MergeDaemonJSON([]byte(tc.in), RuntimeName, WrapperPath, tc.force)
			if tc.wantErr != nil {
				if err == nil || tc.wantErr != errAny && !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if changed != tc.wantChanged {
				t.Fatalf("changed = %v, want %v", changed, tc.wantChanged)
			}
			if !changed && string(out) != tc.in {
				t.Fatalf("unchanged document rewritten: %s", out)
			}
			doc := decode(t, out)
			if doc["default-runtime"] != RuntimeName {
				t.Errorf("default-runtime = %v", doc["default-runtime"])
			}
			if rt := doc["runtimes"].(map[string]any)[RuntimeName]; !reflect.DeepEqual(rt, wantRuntime) {
				t.Errorf("runtimes.%s = %v", RuntimeName, rt)
			}
			for k, v := range tc.wantKeep {
				if !reflect.DeepEqual(doc[k], v) {
					t.Errorf("%s = %#v, want %#v", k, doc[k], v)
				}
			}
			again, changed2, err := MergeDaemonJSON(out, RuntimeName, WrapperPath, false)
			if err != nil || changed2 || string(again) != string(out) {
				t.Errorf("second merge not idempotent: changed=%v err=%v", changed2, err)
			}
		})
	}
}

var errAny = errors.New("any error")

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	doc := map[string]any{}
	d := json.NewDecoder(bytesReader(b))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return doc
}

func TestInstallDaemonJSONBackupAndIdempotency(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, DaemonJSONPath)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	orig := []byte(`{"log-level":"warn"}`)
	if err := os.WriteFile(p, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		changed, err := InstallDaemonJSON(root, false)
		if err != nil {
			t.Fatal(err)
		}
		if changed != want {
			t.Fatalf("call %d: changed = %v, want %v", i, changed, want)
		}
	}
	bak, err := os.ReadFile(p + ".coalmine-backup")
	if err != nil || string(bak) != string(orig) {
		t.Fatalf("backup = %q, %v", bak, err)
	}
	doc := decode(t, must(os.ReadFile(p)))
	if doc["log-level"] != "warn" || doc["default-runtime"] != RuntimeName {
		t.Fatalf("daemon.json = %v", doc)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
