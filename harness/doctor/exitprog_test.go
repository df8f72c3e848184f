package doctor

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestExitProgram runs the probe program on this host (where it can) and
// checks every architecture's program is a valid static ELF executable.
func TestExitProgram(t *testing.T) {
	for arch, ec := range exitCode {
		prog, err := exitProgram(arch)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "exit")
		if err := os.WriteFile(path, prog, 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := elf.Open(path)
		if err != nil {
			t.Fatalf("%s: %v", arch, err)
		}
		if f.Machine != ec.machine || f.Type != elf.ET_EXEC || len(f.Progs) != 1 {
			t.Errorf("%s: machine %v type %v progs %d", arch, f.Machine, f.Type, len(f.Progs))
		}
		f.Close()
		if arch != runtime.GOARCH || runtime.GOOS != "linux" {
			continue
		}
		if out, err := exec.Command(path).CombinedOutput(); err != nil {
			t.Errorf("%s: running it: %v %s", arch, err, out)
		}
	}
	if _, err := exitProgram("mips"); err == nil {
		t.Error("exitProgram(mips): want an error")
	}
}
