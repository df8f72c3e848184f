package images

import (
	"bufio"
	"slices"
	"strings"
	"testing"
)

func TestParseMountsUnder(t *testing.T) {
	mountinfo := `22 1 0:21 / / rw shared:1 - overlay overlay rw
35 22 0:30 / /tmp/build/rootfs/proc rw - proc proc rw
36 22 0:31 / /tmp/build/rootfs/sys rw - sysfs sysfs rw
37 22 0:32 / /tmp/build/rootfs2/proc rw - proc proc rw
38 22 0:33 / /tmp/build/root\040fs/dev rw - devtmpfs udev rw
39 22 0:34 / /tmp/build rw - tmpfs tmpfs rw
`
	tests := []struct {
		dir  string
		want []string
	}{
		{"/tmp/build/rootfs", []string{"/tmp/build/rootfs/proc", "/tmp/build/rootfs/sys"}},
		{"/tmp/build/root fs", []string{"/tmp/build/root fs/dev"}},
		{"/tmp/build", []string{"/tmp/build/rootfs/proc", "/tmp/build/rootfs/sys", "/tmp/build/rootfs2/proc", "/tmp/build/root fs/dev", "/tmp/build"}},
		{"/var", nil},
	}
	for _, tt := range tests {
		got, err := parseMountsUnder(bufio.NewScanner(strings.NewReader(mountinfo)), tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.dir, got, tt.want)
		}
	}
}

func TestUnescapeMountinfo(t *testing.T) {
	for in, want := range map[string]string{
		`/a\040b`:   "/a b",
		`/plain`:    "/plain",
		`/tab\011x`: "/tab\tx",
		`/end\04`:   `/end\04`,
		`/bs\134x`:  `/bs\x`,
	} {
		if got := unescapeMountinfo(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
