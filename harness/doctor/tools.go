package doctor

import (
	"fmt"
	"strings"

	"github.com/coalmine/coalmine/internal/hostdeps"
)

// checkTools reports the host tools of internal/hostdeps/tools.txt that
// are missing: a tool `make run` needs fails the check, one only the tests
// need warns. With an engine that answers, no local dockerd is needed
// (remote or rootless Docker).
func checkTools(engine bool) Result {
	res := Result{Check: "host tools"}
	all, err := hostdeps.All()
	if err != nil {
		res.Level, res.Summary = Fail, err.Error()
		return res
	}
	var names []string
	for _, t := range all {
		if (t.Need == hostdeps.Run || t.Need == hostdeps.Test) && !(engine && t.Name == "dockerd") {
			names = append(names, t.Name)
		}
	}
	var run, test []string
	for _, m := range hostdeps.Missing(names...) {
		if m.Need == hostdeps.Run {
			run = append(run, m.Name+" ("+m.Package+")")
		} else {
			test = append(test, m.Name+" ("+m.Package+")")
		}
	}
	hint := "install the Debian packages in brackets: " + hostdeps.Setup + " does (as root)"
	switch {
	case len(run) > 0:
		res.Level, res.Hint = Fail, hint
		res.Summary = "missing for make run: " + strings.Join(append(run, test...), ", ")
	case len(test) > 0:
		res.Level, res.Hint = Warn, hint
		res.Summary = "missing for make test: " + strings.Join(test, ", ")
	default:
		res.Level = OK
		res.Summary = fmt.Sprintf("all %d tools of make run and make test are on PATH", countNeeded(all))
	}
	return res
}

func countNeeded(all []hostdeps.Tool) int {
	n := 0
	for _, t := range all {
		if t.Need == hostdeps.Run || t.Need == hostdeps.Test {
			n++
		}
	}
	return n
}
