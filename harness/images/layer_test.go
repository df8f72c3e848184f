package images

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLayerWrite(t *testing.T) {
	src := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(src, []byte("ELF..."), 0o600); err != nil {
		t.Fatal(err)
	}
	l := staticBase(user{Name: "argo", ID: 999, Home: "/home/argo"}).
		Dir("/home/argo", 0o755, 999, 999).
		File("/usr/local/bin/tool", 0o755, src)
	var buf bytes.Buffer
	if err := l.Write(&buf); err != nil {
		t.Fatal(err)
	}
	type entry struct {
		typ      byte
		mode     int64
		uid, gid int
		body     string
	}
	got := map[string]entry{}
	var order []string
	tr := tar.NewReader(&buf)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name] = entry{h.Typeflag, h.Mode, h.Uid, h.Gid, string(b)}
		order = append(order, h.Name)
	}
	want := map[string]entry{
		"etc/":               {tar.TypeDir, 0o755, 0, 0, ""},
		"home/":              {tar.TypeDir, 0o755, 0, 0, ""},
		"home/argo/":         {tar.TypeDir, 0o755, 999, 999, ""},
		"tmp/":               {tar.TypeDir, 0o1777, 0, 0, ""},
		"usr/":               {tar.TypeDir, 0o755, 0, 0, ""},
		"usr/local/":         {tar.TypeDir, 0o755, 0, 0, ""},
		"usr/local/bin/":     {tar.TypeDir, 0o755, 0, 0, ""},
		"usr/local/bin/tool": {tar.TypeReg, 0o755, 0, 0, "ELF..."},
		"etc/passwd":         {tar.TypeReg, 0o644, 0, 0, "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nargo:x:999:999:argo:/home/argo:/sbin/nologin\n"},
		"etc/group":          {tar.TypeReg, 0o644, 0, 0, "root:x:0:\nnobody:x:65534:\nargo:x:999:\n"},
	}
	if len(got) != len(want) {
		t.Errorf("entries %v, want %d", order, len(want))
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s: got %+v, want %+v", n, got[n], w)
		}
	}
	for i, n := range order {
		if dir := filepath.Dir(strings.TrimSuffix(n, "/")); dir != "." {
			if idx := indexOf(order, dir+"/"); idx > i {
				t.Errorf("%s written before its directory %s", n, dir)
			}
		}
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
