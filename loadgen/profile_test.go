package loadgen

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestProfileSpecPacer(t *testing.T) {
	tests := []struct {
		name string
		spec ProfileSpec
		want Pacer
		err  string
	}{
		{"default constant", ProfileSpec{RPS: 5}, Constant{RPS: 5}, ""},
		{"diurnal", ProfileSpec{Profile: "diurnal", TroughRPS: 1, PeakRPS: 9, Day: time.Minute, StartHour: 6, PeakHour: 12},
			Diurnal{TroughRPS: 1, PeakRPS: 9, Day: time.Minute, StartHour: 6, PeakHour: 12}, ""},
		{"step", ProfileSpec{Profile: "step", Steps: []StepRate{{time.Second, 3}}}, Step{Steps: []StepRate{{time.Second, 3}}}, ""},
		{"spike", ProfileSpec{Profile: "spike", RPS: 1, PeakRPS: 10, SpikeAt: time.Second, SpikeFor: time.Second},
			Spike{BaseRPS: 1, PeakRPS: 10, Start: time.Second, Length: time.Second}, ""},
		{"unknown", ProfileSpec{Profile: "sawtooth"}, nil, "unknown profile"},
		{"invalid", ProfileSpec{Profile: "diurnal", PeakRPS: 5}, nil, "day must be > 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.spec.Pacer()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestParseSteps(t *testing.T) {
	got, err := ParseSteps("30s:100, 1m:0,500ms:2.5")
	want := []StepRate{{30 * time.Second, 100}, {time.Minute, 0}, {500 * time.Millisecond, 2.5}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ParseSteps("30s:100,oops,1m"); err == nil || !strings.Contains(err.Error(), "steps[1]") || !strings.Contains(err.Error(), "steps[2]") {
		t.Fatalf("err = %v, want steps[1] and steps[2]", err)
	}
}

func TestParseHourly(t *testing.T) {
	levels, err := ParseHourly(strings.Repeat("0.5,", 23) + "1")
	if err != nil || len(levels) != 24 || levels[23] != 1 || levels[0] != 0.5 {
		t.Fatalf("got %v, %v", levels, err)
	}
	for _, bad := range []string{"1,2", strings.Repeat("x,", 23) + "1"} {
		if _, err := ParseHourly(bad); err == nil {
			t.Errorf("ParseHourly(%q) accepted", bad)
		}
	}
}
