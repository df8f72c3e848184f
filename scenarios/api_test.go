package scenarios

import (
	"reflect"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	s, err := Load("testdata/valid-minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	noon := Clock(12, 0)
	zero := D(0)
	want := Spec{
		Traffic: Traffic{
			Profile: ProfileDiurnal, PeakRPS: 50, DayLength: D(10 * time.Minute), PeakHour: &noon,
			Endpoints: DefaultEndpoints(), Users: Users{Count: DefaultUsers},
			Timeout: D(DefaultRequestTimeout), Workers: DefaultWorkers,
		},
		App: App{Version: "v1", Replicas: 5, Resources: Resources{
			Requests: ResourceList{CPU: "10m", Memory: "32Mi"}, Limits: ResourceList{CPU: "200m", Memory: "128Mi"}}},
		Releases:       []Release{{Version: "v2", When: When{AfterPrevious: &zero}}},
		Strategies:     []string{"rolling"},
		TimeScale:      144,
		ScrapeInterval: D(2 * time.Second),
		Warmup:         D(30 * time.Second),
		ReleaseTimeout: D(5 * time.Minute),
		Cooldown:       D(30 * time.Second),
	}
	if !reflect.DeepEqual(s.Spec, want) {
		t.Errorf("defaulted spec\n got %+v\nwant %+v", s.Spec, want)
	}
	again := *s
	SetDefaults(&again)
	if !reflect.DeepEqual(again.Spec, s.Spec) {
		t.Error("SetDefaults is not idempotent")
	}
}

// TestYAMLRoundTrip: a defaulted scenario rendered by YAML() parses back to
// the same scenario (show output is a valid scenario file).
func TestYAMLRoundTrip(t *testing.T) {
	for _, name := range []string{"testdata/valid-full.yaml", "testdata/valid-spike.yaml", "cohort-bug", "rare-endpoint-bug"} {
		s, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		y, err := s.YAML()
		if err != nil {
			t.Fatal(err)
		}
		dir := ""
		if !isLibraryName(name) {
			dir = "testdata"
		}
		back, err := Parse(y, "roundtrip", dir)
		if err != nil {
			t.Fatalf("%s: parse back: %v\n%s", name, err, y)
		}
		y2, err := back.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if string(y) != string(y2) {
			t.Errorf("%s: YAML changed on round trip:\n%s\n---\n%s", name, y, y2)
		}
		for i, r := range s.Spec.Releases {
			if r.Bad() != back.Spec.Releases[i].Bad() {
				t.Errorf("%s: release %s Bad changed", name, r.Version)
			}
		}
	}
}

func TestParseClockTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:00", 0, true},
		{"12:30", 12*time.Hour + 30*time.Minute, true},
		{"23:59", 23*time.Hour + 59*time.Minute, true},
		{"13.5", 13*time.Hour + 30*time.Minute, true},
		{"6", 6 * time.Hour, true},
		{"24:00", 0, false},
		{"12:5", 0, false},
		{"24", 0, false},
		{"-1", 0, false},
		{"noon", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseClockTime(tt.in)
		if (err == nil) != tt.ok || tt.ok && got.Duration != tt.want {
			t.Errorf("ParseClockTime(%q) = %v, %v; want %v ok=%v", tt.in, got.Duration, err, tt.want, tt.ok)
		}
	}
	if s := Clock(7, 5).String(); s != "07:05" {
		t.Errorf("String = %q", s)
	}
}

func TestDurationString(t *testing.T) {
	for d, want := range map[time.Duration]string{10 * time.Minute: "10m", 90 * time.Second: "1m30s", 2 * time.Hour: "2h", 1500 * time.Millisecond: "1.5s", 0: "0s"} {
		if got := D(d).String(); got != want {
			t.Errorf("D(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestSchedule(t *testing.T) {
	tr := Traffic{DayLength: D(10 * time.Minute), StartHour: Clock(9, 0)}
	tests := []struct {
		elapsed time.Duration
		at      ClockTime
		wantNow string
		wantTo  time.Duration
	}{
		{0, Clock(10, 30), "09:00", 37500 * time.Millisecond},
		{30 * time.Second, Clock(10, 30), "10:12", 7500 * time.Millisecond},
		{time.Minute, Clock(10, 30), "11:24", 10*time.Minute - 22500*time.Millisecond},
		{10 * time.Minute, Clock(9, 0), "09:00", 0},
	}
	for _, tt := range tests {
		if got := tr.TimeOfDay(tt.elapsed).String(); got != tt.wantNow {
			t.Errorf("TimeOfDay(%s) = %s, want %s", tt.elapsed, got, tt.wantNow)
		}
		if got := tr.Until(tt.elapsed, tt.at); got != tt.wantTo {
			t.Errorf("Until(%s, %s) = %s, want %s", tt.elapsed, tt.at, got, tt.wantTo)
		}
	}
	s, err := Load("bad-release-5xx") // warmup 30s, at 10:30 from 09:00, timeout 5m, cooldown 30s
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.MaxDuration(), 30*time.Second+7500*time.Millisecond+5*time.Minute+30*time.Second; got != want {
		t.Errorf("MaxDuration = %s, want %s", got, want)
	}
}

func TestReleaseBad(t *testing.T) {
	s, err := Load("testdata/valid-full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Spec.Releases[0].Bad() || !s.Spec.Releases[1].Bad() {
		t.Errorf("Bad = %v, %v; want false, true", s.Spec.Releases[0].Bad(), s.Spec.Releases[1].Bad())
	}
	f, err := s.Spec.Releases[1].Fault.Decode()
	if err != nil || f.Errors == nil || f.Errors.Rate != 0.05 || f.Latency == nil {
		t.Errorf("Decode = %+v, %v", f, err)
	}
	if string(s.Spec.Releases[0].Fault.YAML()) != "{}\n" {
		t.Errorf("empty fault YAML = %q", s.Spec.Releases[0].Fault.YAML())
	}
}

func TestExpectationsFor(t *testing.T) {
	s, err := Load("testdata/valid-full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		strategy, release string
		wantLines         []int
	}{
		{"classic-steps", "v3", []int{48}},
		{"classic-steps", "v2", []int{56}},
		{"valid-my-canary", "v2", []int{55, 56}},
		{"valid-my-canary", "v3", nil},
	}
	for _, tt := range tests {
		var lines []int
		for _, e := range s.ExpectationsFor(tt.strategy, tt.release) {
			lines = append(lines, e.Line)
		}
		if !reflect.DeepEqual(lines, tt.wantLines) {
			t.Errorf("ExpectationsFor(%s, %s) lines = %v, want %v", tt.strategy, tt.release, lines, tt.wantLines)
		}
	}
}

func TestValidateGoBuilt(t *testing.T) {
	s := &Scenario{APIVersion: APIVersion, Kind: Kind, Metadata: Metadata{Name: "go"},
		Spec: Spec{Traffic: Traffic{PeakRPS: 10}, Releases: []Release{{Version: "v2"}}, Strategies: []string{"rolling"}}}
	SetDefaults(s)
	if err := Validate(s); err != nil {
		t.Errorf("Validate: %v", err)
	}
	s.Spec.Traffic.PeakRPS = -1
	if err := Validate(s); err == nil || err.Error() != "spec.traffic.peakRPS: must be in [0, 20000], got -1" {
		t.Errorf("Validate = %v", err)
	}
}
