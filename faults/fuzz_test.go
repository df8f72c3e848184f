package faults

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeFaults checks that Decode never panics, that every
// failure is a *Error with at least one problem, and that every
// accepted model validates and round-trips through YAML and JSON.
func FuzzDecodeFaults(f *testing.F) {
	files, _ := filepath.Glob("testdata/*-*.*")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "{}", "errors: {rate: 0.5}", "latency: {distribution: normal, mean: 1s, stddev: 1ms}",
		"crash: {requests: 3}", `{"cpu": {"perRequest": "1ms"}}`, "errors: &a {rate: 1}\nlatency: *a"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		faults, err := Decode(data)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || len(fe.Problems) == 0 {
				t.Fatalf("error %v is not a *Error with problems", err)
			}
			return
		}
		if err := faults.Validate(); err != nil {
			t.Fatalf("accepted faults do not validate: %v", err)
		}
		assertRoundTrip(t, faults)
	})
}
