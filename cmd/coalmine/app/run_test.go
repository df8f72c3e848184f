package app

import (
	"strings"
	"testing"
)

// These check what `coalmine run` rejects before it touches a cluster; the
// runs themselves are exercised on kind by the e2e suite.
func TestRunRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no scenario", []string{"run"}, "accepts 1 arg"},
		{"unknown scenario", []string{"run", "no-such-scenario"}, "bad-release-5xx"},
		{"unknown image source", []string{"run", "good-release", "--images", "nearby"}, `unknown --images "nearby"`},
		{"unknown environment", []string{"run", "good-release", "--images", "local", "--env", "cloud"}, `unknown --env "cloud"`},
		{"bad run id", []string{"run", "good-release", "--images", "local", "--run-id", "Bad_ID"}, "run id"},
		{"context without existing", []string{"run", "good-release", "--images", "local", "--context", "prod"}, "--env existing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to mention %q", err, tt.want)
			}
			if code := ExitCode(err); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
		})
	}
}
