package images

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/internal/hostdeps/hostscan"
)

// TestBuildToolsDerived derives the host executables this package's
// non-test code runs and checks that the build's preflight checks exactly
// those. Docker and go are run by the names Config gives (not constants),
// and the preflight checks those names too.
func TestBuildToolsDerived(t *testing.T) {
	res, err := hostscan.Tree(".", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.Uses {
		if !strings.Contains(u.Pos, "_test.go:") && !slices.Contains(got, u.Tool) {
			got = append(got, u.Tool)
		}
	}
	slices.Sort(got)
	if !reflect.DeepEqual(got, buildTools) {
		t.Errorf("the code runs %v; buildTools = %v", got, buildTools)
	}
}
