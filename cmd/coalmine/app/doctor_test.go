package app

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/coalmine/coalmine/harness/doctor"
)

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }

// doctor against the real engine: every check reports, JSON decodes.
func TestDoctorJSON(t *testing.T) {
	if !dockerAnswers() {
		t.Skip("no Docker engine")
	}
	out, _, err := runCLI(t, "doctor", "-o", "json", "--prometheus-port", "39990", "--entry-port", "39980")
	var rep doctor.Report
	if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil {
		t.Fatalf("output is not a report: %v\n%s", jerr, out)
	}
	if rep.Failed() != (err != nil) {
		t.Errorf("exit error %v but Failed() = %v", err, rep.Failed())
	}
	checks := map[string]doctor.Level{}
	for _, r := range rep.Results {
		checks[r.Check] = r.Level
	}
	for _, c := range []string{"host tools", "docker", "capabilities", "cgroup", "disk", "inotify", "ports"} {
		if _, ok := checks[c]; !ok {
			t.Errorf("no %s check in %v", c, checks)
		}
	}
	if checks["docker"] != doctor.OK || rep.Caps == nil {
		t.Errorf("docker answered but report says %v (caps %v)", checks["docker"], rep.Caps)
	}
}
