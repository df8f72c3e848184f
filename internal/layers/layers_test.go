package layers

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/coalmine/coalmine/"

// layerOf maps a top-level directory to its layer (see doc.go).
var layerOf = map[string]int{
	"internal": 0,
	"results":  1, "faults": 1,
	"loadgen": 2, "faultapp": 2,
	"scenarios": 3, "reports": 3,
	"outcome": 4,
	"harness": 5, "sim": 5,
	"cmd": 6, "e2e": 6,
}

func top(pkg string) string { return strings.SplitN(strings.TrimPrefix(pkg, module), "/", 2)[0] }

// TestImportsPointDown lists every package's non-test imports and fails on
// any that points up or sideways to another directory of the same layer.
func TestImportsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		pkg := f[0]
		from, ok := layerOf[top(pkg)]
		if !ok {
			t.Errorf("%s: top-level directory %q has no layer in layers_test.go and doc.go", pkg, top(pkg))
			continue
		}
		n++
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, module) || top(imp) == top(pkg) {
				continue
			}
			to, ok := layerOf[top(imp)]
			if !ok || to >= from {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must point to lower layers",
					strings.TrimPrefix(pkg, module), from, strings.TrimPrefix(imp, module), to)
			}
		}
	}
	if n < 20 {
		t.Fatalf("checked only %d packages: go list output unexpected", n)
	}
}
