package faults

import (
	"testing"
)

func TestCloneIsDeep(t *testing.T) {
	f := mustFaults(t, "errors: {rate: 0.5, paths: [/api/cart]}\nlatency: {distribution: fixed, mean: 1ms, paths: [/api/search]}\ncpu: {perRequest: 1ms}")
	c := f.Clone()
	c.Errors.Rate, c.Errors.Paths[0], c.Latency.Paths[0], c.CPU.PerRequest = 0.1, "x", "y", 5
	if f.Errors.Rate != 0.5 || f.Errors.Paths[0] != RouteCart || f.Latency.Paths[0] != RouteSearch || f.CPU.PerRequest.D() == 5 {
		t.Fatalf("clone shares memory with the original: %s", dump(f))
	}
	if (*Faults)(nil).Clone() != nil {
		t.Fatal("nil clone is not nil")
	}
}

func TestEncodeFaults(t *testing.T) {
	tests := []struct {
		f    *Faults
		want string
	}{
		{nil, `{}`},
		{&Faults{}, `{}`},
		{mustFaults(t, "errors: {rate: 0}\nreadiness: {after: 1m30s}"), `{"errors":{"rate":0,"status":500},"readiness":{"after":"1m30s"}}`},
	}
	for _, tt := range tests {
		got, err := Encode(tt.f)
		if err != nil || string(got) != tt.want {
			t.Errorf("Encode = %s, %v; want %s", got, err, tt.want)
		}
	}
}

func TestIsZero(t *testing.T) {
	if !(*Faults)(nil).IsZero() || !(&Faults{}).IsZero() || mustFaults(t, "leak: {bytesPerRequest: 1}").IsZero() {
		t.Fatal("IsZero wrong")
	}
}
