package suggest

import "testing"

func TestHint(t *testing.T) {
	known := []string{"peakRPS", "troughRPS", "bytesPerRequest", "exit_code", "status"}
	for _, tt := range []struct{ key, want string }{
		{"peakRSP", ` (did you mean "peakRPS"?)`},                   // transposition
		{"PEAKRPS", ` (did you mean "peakRPS"?)`},                   // case
		{"bytes_per_request", ` (did you mean "bytesPerRequest"?)`}, // separators
		{"exitCode", ` (did you mean "exit_code"?)`},                // case and '_'
		{"stat", ` (did you mean "status"?)`},
		{"latency", ""}, // too far
	} {
		if got := Hint(tt.key, known); got != tt.want {
			t.Errorf("Hint(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}
