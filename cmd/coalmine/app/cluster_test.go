package app

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/harness/cluster"
)

func dockerAnswers() bool { return exec.Command("docker", "info").Run() == nil }

func TestClusterCommandFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantOut []string
		wantErr string
	}{
		{name: "help", args: []string{"cluster", "--help"}, wantOut: []string{"up", "down", "status"}},
		{name: "up flags", args: []string{"cluster", "up", "--help"},
			wantOut: []string{"--images", "--env", "--context", "--prometheus-port", "--entry-port", "--scrape-interval", "--name"}},
		{name: "bad image source", args: []string{"cluster", "up", "--images", "quay"}, wantErr: `unknown --images "quay"`},
		{name: "bad env", args: []string{"cluster", "up", "--images", "local", "--env", "minikube"}, wantErr: `unknown --env "minikube"`},
		{name: "context without existing", args: []string{"cluster", "up", "--images", "local", "--context", "prod"}, wantErr: "--env existing"},
		{name: "bad output", args: []string{"cluster", "status", "-o", "yaml"}, wantErr: `unknown --output "yaml"`},
		{name: "no arguments", args: []string{"cluster", "down", "extra"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runCLI(t, tt.args...)
			expectOutput(t, out, err, tt.wantErr, tt.wantOut)
		})
	}
}

// An absent kind cluster: status says so (exit 1, JSON too), down is a no-op.
func TestClusterAbsent(t *testing.T) {
	if !dockerAnswers() {
		t.Skip("no Docker engine")
	}
	const name = "coalmine-absent-test"
	out, _, err := runCLI(t, "cluster", "status", "--name", name)
	if ExitCode(err) != 1 || !strings.Contains(out, "kind/"+name) || !strings.Contains(out, "absent") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "cluster", "status", "--name", name, "-o", "json")
	var r cluster.Report
	if ExitCode(err) != 1 || json.Unmarshal([]byte(out), &r) != nil || r.Cluster.Exists || r.Cluster.Name != name {
		t.Fatalf("status json: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "cluster", "down", "--name", name)
	if err != nil || !strings.Contains(out, "is down") {
		t.Fatalf("down: %v\n%s", err, out)
	}
}

// An existing cluster that does not answer is reported, not hidden.
func TestClusterExistingUnreachable(t *testing.T) {
	kc := t.TempDir() + "/kubeconfig"
	const cfg = `apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: gone
  context: {cluster: gone, user: u}
users:
- name: u
  user: {token: x}
current-context: gone
`
	if err := writeFile(kc, cfg); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "cluster", "status", "--env", "existing", "--kubeconfig", kc, "--context", "gone")
	if ExitCode(err) != 1 || !strings.Contains(out, "existing/gone") || !strings.Contains(out, "does not answer") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	_, stderr, err := runCLI(t, "cluster", "up", "--env", "existing", "--kubeconfig", kc, "--context", "gone")
	if err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("up: %v", err)
	}
	if !strings.Contains(stderr, "images: upstream") {
		t.Errorf("image choice not announced: %s", stderr)
	}
}
