package sim

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coalmine/coalmine/results"
	"github.com/coalmine/coalmine/scenarios"
)

func load(t testing.TB, scenario string, strategies ...string) (*scenarios.Scenario, []*scenarios.Strategy) {
	t.Helper()
	s, err := scenarios.Load(scenario)
	if err != nil {
		t.Fatal(err)
	}
	sts, err := s.Select(strategies)
	if err != nil {
		t.Fatal(err)
	}
	return s, sts
}

func release(t *testing.T, sr results.StrategyRun) results.ReleaseResult {
	t.Helper()
	if sr.Error != "" || len(sr.Releases) != 1 {
		t.Fatalf("%s: error %q, %d releases", sr.Name, sr.Error, len(sr.Releases))
	}
	return sr.Releases[0]
}

// At the scenario's own time scale the simulator replays a kind run: the
// kind runs of bad-release-5xx caught it with classic-steps after 24.8 s
// and 52.1 s and rolling missed it.
func TestKindScaleBadRelease(t *testing.T) {
	s, sts := load(t, "bad-release-5xx", "classic-steps", "rolling")
	res, err := Run(context.Background(), s, sts, Options{Seed: 1, TimeScale: s.Spec.TimeScale})
	if err != nil {
		t.Fatal(err)
	}
	if res.Environment.Kind != EnvironmentKind || len(res.Strategies) != 2 {
		t.Fatalf("environment %q, %d strategies", res.Environment.Kind, len(res.Strategies))
	}
	classic := release(t, res.Strategies[0]).Scores
	if classic.Outcome != results.OutcomeCaught || classic.TimeToDetectSeconds == nil || classic.TimeToRestoreSeconds == nil {
		t.Fatalf("classic-steps: %+v", classic)
	}
	if ttd := *classic.TimeToDetectSeconds; ttd < 10 || ttd > 120 {
		t.Errorf("classic-steps detected after %.1f s, want 10-120 s", ttd)
	}
	if got := release(t, res.Strategies[1]).Scores.Outcome; got != results.OutcomeMissed {
		t.Errorf("rolling: %s, want missed", got)
	}
	if tr := res.Strategies[0].Traffic; tr == nil || tr.Requests < 10_000 {
		t.Errorf("traffic %+v: want the scenario's ~190 rps for minutes", tr)
	}
}

func TestDeterministic(t *testing.T) {
	s, sts := load(t, "bad-release-5xx", "fail-fast")
	o := Options{Seed: 7, TimeScale: 144}
	a, err := Run(context.Background(), s, sts, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), s, sts, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Strategies, b.Strategies) {
		t.Error("the same seed gave different runs")
	}
	o.Seed = 8
	c, err := Run(context.Background(), s, sts, o)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Strategies[0].Series, c.Strategies[0].Series) {
		t.Error("another seed gave the same requests")
	}
}

// In production time the strategy runs as written: classic-steps pauses
// 5 m twice and analyses 5 measurements a minute apart twice.
func TestProductionTimeGoodRelease(t *testing.T) {
	s, sts := load(t, "good-release", "classic-steps")
	res, err := Run(context.Background(), s, sts, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	sc := release(t, res.Strategies[0]).Scores
	if sc.Outcome != results.OutcomePromoted || sc.TimeToPromoteSeconds == nil {
		t.Fatalf("good release: %+v", sc)
	}
	if ttp := time.Duration(*sc.TimeToPromoteSeconds * float64(time.Second)); ttp < 18*time.Minute || ttp > 30*time.Minute {
		t.Errorf("promoted after %s, want 2×5 m pauses + 2×(30 s + 4 m) analyses + pod starts", ttp)
	}
}

// Blue-green: the preview gets no traffic until the active Service
// switches after the pre-promotion analysis; the post-promotion analysis
// then sees the new version's traffic.
func TestBlueGreen(t *testing.T) {
	s, sts := load(t, "good-release", "bluegreen-prepromotion")
	res, err := Run(context.Background(), s, sts, Options{Seed: 1, TimeScale: 144})
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Strategies[0]
	if sc := release(t, sr).Scores; sc.Outcome != results.OutcomePromoted {
		t.Fatalf("blue-green good release: %+v", sc)
	}
	var kinds []string
	for _, e := range sr.Timeline {
		if e.Kind == results.EventAnalysisStart || e.Kind == results.EventPromoted || e.Kind == results.EventWeight {
			kinds = append(kinds, string(e.Kind)+":"+e.Message)
		}
	}
	want := "weight: analysis-start:PrePromotion weight: analysis-start:PostPromotion promoted:stable revision "
	if got := strings.Join(kinds, " "); !strings.HasPrefix(got, want) {
		t.Errorf("timeline %q, want %q…", got, want)
	}
	for _, sec := range sr.Series {
		if sec.Version == "v2" && time.Unix(sec.T, 0).Before(firstEvent(sr, results.EventPromoted).Add(-40*time.Second)) {
			t.Fatalf("v2 served at %s, long before the switch", time.Unix(sec.T, 0))
		}
	}
}

func firstEvent(sr results.StrategyRun, k results.EventKind) time.Time {
	for _, e := range sr.Timeline {
		if e.Kind == k {
			return e.Time
		}
	}
	return time.Time{}
}

func TestBadInput(t *testing.T) {
	s, sts := load(t, "good-release", "classic-steps")
	if _, err := Run(context.Background(), s, sts, Options{Seed: -1}); err == nil || !strings.Contains(err.Error(), "seed must not be negative") {
		t.Errorf("negative seed: %v", err)
	}
	if _, err := Run(context.Background(), s, sts, Options{TimeScale: 1000}); err == nil || !strings.Contains(err.Error(), "time scale must be in [1, 144]") {
		t.Errorf("time scale 1000: %v", err)
	}
}

func TestCanceled(t *testing.T) {
	s, sts := load(t, "bad-release-5xx", "classic-steps")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, s, sts, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sr := res.Strategies[0]; sr.Complete || !strings.Contains(sr.Error, "simulation stopped") {
		t.Errorf("canceled run: complete %v, error %q", sr.Complete, sr.Error)
	}
}

// A crash-looping canary makes progress only while its restarts still
// come quickly: fail-fast sets progressDeadlineAbort, so once the back-off
// outgrows its deadline it is aborted for it (in some runs the release
// times out first); classic-steps has no deadline abort and times out.
func TestProgressDeadline(t *testing.T) {
	s, sts := load(t, "crashloop", "fail-fast", "classic-steps")
	deadlines := 0
	for seed := int64(1); seed <= 8; seed++ {
		res, err := Run(context.Background(), s, sts, Options{Seed: seed, TimeScale: 144})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Strategies[0].Timeline {
			if e.Kind != results.EventAborted {
				continue
			}
			if !strings.Contains(e.Message, "has timed out progressing") {
				t.Errorf("seed %d: fail-fast aborted %q, want only the progress deadline", seed, e.Message)
			}
			deadlines++
		}
		if got := release(t, res.Strategies[1]).Scores.Outcome; got != results.OutcomeTimeout {
			t.Errorf("seed %d: classic-steps %s, want timeout", seed, got)
		}
	}
	if deadlines == 0 {
		t.Error("the progress deadline never aborted fail-fast in 8 runs")
	}
}
