package doctor

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParseCapBnd(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    uint64
		lacksSR bool
		wantErr bool
	}{
		{"this project's machine", "Name:\tdockerd\nCapBnd:\t000001fffeffffff\n", 0x1fffeffffff, true, false},
		{"full set", "CapInh:\t0\nCapBnd:\t000001ffffffffff\nCapAmb:\t0\n", 0x1ffffffffff, false, false},
		{"missing line", "Name:\tx\n", 0, false, true},
		{"garbage", "CapBnd:\tzz\n", 0, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseCapBnd([]byte(tc.status))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				return
			}
			if got != tc.want || (got&(1<<capSysResource) == 0) != tc.lacksSR {
				t.Fatalf("got %x (lacks CAP_SYS_RESOURCE = %v)", got, got&(1<<capSysResource) == 0)
			}
		})
	}
}

func writeInotify(t *testing.T, root string, watches, instances int) {
	t.Helper()
	dir := filepath.Join(root, "proc/sys/fs/inotify")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]int{"max_user_watches": watches, "max_user_instances": instances} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strconv.Itoa(v)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRaiseInotify(t *testing.T) {
	tests := []struct {
		name                 string
		watches, instances   int
		wantW, wantI         int
		wantChanged, wantOK0 bool
	}{
		{"this machine's defaults", 192536, 128, WantMaxUserWatches, WantMaxUserInstances, true, false},
		{"one low", 1048576, 128, 1048576, WantMaxUserInstances, true, false},
		{"never lowered", 2000000, 8192, 2000000, 8192, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeInotify(t, root, tc.watches, tc.instances)
			in, err := ReadInotify(root)
			if err != nil || in.OK() != tc.wantOK0 {
				t.Fatalf("before: %+v ok=%v err=%v", in, in.OK(), err)
			}
			changed, err := RaiseInotify(root)
			if err != nil || changed != tc.wantChanged {
				t.Fatalf("changed=%v err=%v", changed, err)
			}
			in, _ = ReadInotify(root)
			if in.MaxUserWatches != tc.wantW || in.MaxUserInstances != tc.wantI || !in.OK() {
				t.Fatalf("after: %+v", in)
			}
			conf := string(must(os.ReadFile(filepath.Join(root, SysctlConf))))
			if !strings.Contains(conf, "fs.inotify.max_user_watches = "+strconv.Itoa(tc.wantW)) {
				t.Errorf("sysctl conf: %s", conf)
			}
			if changed, err := RaiseInotify(root); err != nil || changed {
				t.Errorf("second raise: changed=%v err=%v", changed, err)
			}
		})
	}
}

func TestCheckPorts(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := l.Addr().(*net.TCPAddr).Port
	l2, _ := net.Listen("tcp", "127.0.0.1:0")
	free := l2.Addr().(*net.TCPAddr).Port
	l2.Close()
	tests := []struct {
		name   string
		o      Options
		level  Level
		substr string
	}{
		{"free", Options{Ports: []int{free}}, OK, "free: " + strconv.Itoa(free)},
		{"busy", Options{Ports: []int{free, busy}}, Fail, "in use: " + strconv.Itoa(busy)},
		{"held by our cluster", Options{Ports: []int{busy}, PortOwners: map[int]string{busy: "kind cluster coalmine"}}, OK, "kind cluster coalmine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := checkPorts(tc.o)
			if len(res) != 1 || res[0].Level != tc.level || !strings.Contains(res[0].Summary, tc.substr) {
				t.Fatalf("got %+v", res)
			}
		})
	}
	if checkPorts(Options{}) != nil {
		t.Error("no ports should give no result")
	}
}

func TestPortList(t *testing.T) {
	tests := []struct {
		in   []int
		want string
	}{
		{[]int{30080, 30081, 30082, 30090}, "30080-30082, 30090"},
		{[]int{1}, "1"},
		{[]int{1, 3, 4}, "1, 3-4"},
	}
	for _, tc := range tests {
		if got := portList(tc.in); got != tc.want {
			t.Errorf("portList(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
