package sim

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/coalmine/coalmine/results"
)

func TestMonteCarlo(t *testing.T) {
	s, sts := load(t, "bad-release-5xx", "fail-fast", "rolling")
	mc := MonteCarlo{Options: Options{Seed: 5, TimeScale: 144}, Runs: 12, Workers: 2}
	sum, err := mc.Run(context.Background(), s, sts)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Complete || len(sum.Strategies) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	ff, rolling := sum.Strategies[0].Releases[0], sum.Strategies[1].Releases[0]
	if ff.Caught == nil || ff.Caught.N != 12 || ff.Caught.P < 0.75 || ff.TimeToDetect == nil {
		t.Errorf("fail-fast: caught %+v, ttd %+v", ff.Caught, ff.TimeToDetect)
	}
	if rolling.Caught.K != 0 || rolling.Outcomes[results.OutcomeMissed] != 12 || rolling.Caught.Hi > 0.3 {
		t.Errorf("rolling: caught %+v, outcomes %v", rolling.Caught, rolling.Outcomes)
	}
	if ff.ExcessFailures.Median >= rolling.ExcessFailures.Median {
		t.Errorf("fail-fast hurt %g requests, rolling %g: want fewer", ff.ExcessFailures.Median, rolling.ExcessFailures.Median)
	}
	mc.Workers = 1
	again, err := mc.Run(context.Background(), s, sts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sum, again) {
		t.Error("1 and 2 workers gave different summaries for the same seed")
	}
}

func TestMonteCarloStopsAndBadInput(t *testing.T) {
	s, sts := load(t, "bad-release-5xx", "fail-fast")
	ctx, cancel := context.WithCancel(context.Background())
	mc := MonteCarlo{Options: Options{Seed: 1, TimeScale: 144}, Runs: 1000, Workers: 2,
		Progress: func(done, _ int) {
			if done == 3 {
				cancel()
			}
		}}
	sum, err := mc.Run(ctx, s, sts)
	if err != nil {
		t.Fatal(err)
	}
	n := sum.Strategies[0].Releases[0].Caught.N
	if sum.Complete || !strings.Contains(sum.IncompleteReason, "interrupted") || n < 3 || n > 5 {
		t.Errorf("canceled after 3 runs: complete %v (%s), %d runs kept", sum.Complete, sum.IncompleteReason, n)
	}
	for _, bad := range []MonteCarlo{{Runs: 0, Workers: 1}, {Runs: 1, Workers: 0}, {Runs: 1, Workers: 1, Options: Options{Seed: -3}}} {
		if _, err := bad.Run(context.Background(), s, sts); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
