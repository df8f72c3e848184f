package observe

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/coalmine/coalmine/results"
)

// input is one thing the Deriver sees: an object of a kind, or the start of
// a release.
type input struct {
	kind    string // rollout, run, rs, event, release
	obj     *unstructured.Unstructured
	release int
	want    []string // summaries of the events expected from this input
}

func feed(d *Deriver, now time.Time, in input) []results.Event {
	switch in.kind {
	case "rollout":
		return d.Rollout(now, in.obj)
	case "run":
		return d.AnalysisRun(now, in.obj)
	case "rs":
		return d.ReplicaSet(now, in.obj)
	case "event":
		return d.Event(now, in.obj)
	case "release":
		d.BeginRelease(in.release)
		return nil
	}
	panic("unknown input kind " + in.kind)
}

// summary renders an event compactly: kind@release plus the set fields.
func summary(e results.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s@%d", e.Kind, e.Release)
	if e.Step != nil {
		fmt.Fprintf(&b, " step=%d", *e.Step)
	}
	if e.Weight != nil {
		fmt.Fprintf(&b, " weight=%d", *e.Weight)
	}
	for _, f := range []struct{ k, v string }{{"run", e.AnalysisRun}, {"metric", e.Metric}, {"phase", e.Phase}, {"value", e.Value}, {"reason", e.Reason}} {
		if f.v != "" {
			fmt.Fprintf(&b, " %s=%s", f.k, f.v)
		}
	}
	return b.String()
}

func TestDeriver(t *testing.T) {
	const abortMsg = `RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)`
	initial := ro{gen: 1, observed: 1, steps: classicSteps(), step: i64(5), hash: "h1", stable: "h1", phase: "Healthy", available: 5, upd: 5}
	progressing := func(step int64, pauses ...string) ro {
		return ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(step), hash: "h2", stable: "h1", phase: "Progressing", available: 5, upd: 1, pauses: pauses}
	}
	tests := []struct {
		name   string
		inputs []input
	}{{
		name: "bad release caught by step analysis and restored",
		inputs: []input{
			{kind: "rollout", obj: initial.obj(), want: []string{"step@0 step=5", "weight@0 weight=100", "promoted@0"}},
			{kind: "release", release: 1},
			{kind: "rollout", obj: ro{gen: 2, observed: 1, steps: classicSteps(), step: i64(5), hash: "h1", stable: "h1", phase: "Healthy", available: 5}.obj()},
			{kind: "rollout", obj: progressing(0).obj(), want: []string{"step@1 step=0", "weight@1 weight=20"}},
			{kind: "rollout", obj: progressing(1, "CanaryPauseStep").obj(), want: []string{"step@1 step=1", "paused@1 reason=CanaryPauseStep"}},
			{kind: "rollout", obj: progressing(2).obj(), want: []string{"step@1 step=2"}},
			{kind: "rs", obj: replicaSet("faultapp-h1", "h1", 5)},
			{kind: "rs", obj: replicaSet("faultapp-h2", "h2", 1)},
			{kind: "run", obj: analysisRun("faultapp-h2-2", "Running", ""), want: []string{"analysis-start@1 run=faultapp-h2-2"}},
			{kind: "run", obj: analysisRun("faultapp-h2-2", "Running", "",
				meas{"Successful", "[0.999]", "2025-03-01T12:00:10Z", "2025-03-01T12:00:10Z"},
				meas{"Running", "", "2025-03-01T12:00:12Z", ""}),
				want: []string{"measurement@1 run=faultapp-h2-2 metric=success-rate phase=Successful value=[0.999]"}},
			{kind: "run", obj: analysisRun("faultapp-h2-2", "Failed", `Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)`,
				meas{"Successful", "[0.999]", "2025-03-01T12:00:10Z", "2025-03-01T12:00:10Z"},
				meas{"Failed", "[0.9]", "2025-03-01T12:00:12Z", "2025-03-01T12:00:12Z"},
				meas{"Failed", "[0.9]", "2025-03-01T12:00:14Z", "2025-03-01T12:00:14Z"}),
				want: []string{
					"measurement@1 run=faultapp-h2-2 metric=success-rate phase=Failed value=[0.9]",
					"measurement@1 run=faultapp-h2-2 metric=success-rate phase=Failed value=[0.9]",
					"analysis-end@1 run=faultapp-h2-2 phase=Failed",
				}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(2), hash: "h2", stable: "h1", phase: "Degraded", message: abortMsg, abort: true, available: 5, upd: 1}.obj(),
				want: []string{"weight@1 weight=0", "aborted@1 reason=RolloutAborted"}},
			{kind: "event", obj: kubeEvent("e1", "Rollout", "RolloutAborted", abortMsg[len("RolloutAborted: "):], 1), want: []string{"k8s-event@1 reason=RolloutAborted"}},
			{kind: "rs", obj: replicaSet("faultapp-h2", "h2", 0), want: []string{"restored@1"}},
			{kind: "rs", obj: replicaSet("faultapp-h2", "h2", 0)},
		},
	}, {
		name: "good release promoted",
		inputs: []input{
			{kind: "rollout", obj: initial.obj(), want: []string{"step@0 step=5", "weight@0 weight=100", "promoted@0"}},
			{kind: "release", release: 1},
			{kind: "rollout", obj: progressing(3).obj(), want: []string{"step@1 step=3", "weight@1 weight=60"}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(5), hash: "h2", stable: "h2", phase: "Progressing", available: 4, upd: 5}.obj(),
				want: []string{"step@1 step=5", "weight@1 weight=100"}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(5), hash: "h2", stable: "h2", phase: "Healthy", available: 5, upd: 5}.obj(),
				want: []string{"promoted@1"}},
			{kind: "event", obj: kubeEvent("e2", "Rollout", "RolloutCompleted", "Rollout completed update to revision 2", 1), want: []string{"k8s-event@1 reason=RolloutCompleted"}},
			{kind: "event", obj: kubeEvent("e2", "Rollout", "RolloutCompleted", "Rollout completed update to revision 2", 1)},
			{kind: "event", obj: kubeEvent("e3", "Pod", "Killing", "Stopping container", 1)},
		},
	}, {
		name: "abort event before status carries the controller's message once",
		inputs: []input{
			{kind: "rollout", obj: initial.obj(), want: []string{"step@0 step=5", "weight@0 weight=100", "promoted@0"}},
			{kind: "release", release: 2},
			{kind: "rollout", obj: progressing(2).obj(), want: []string{"step@2 step=2", "weight@2 weight=20"}},
			{kind: "event", obj: kubeEvent("e4", "Rollout", "RolloutAborted", "Rollout aborted update to revision 2", 1),
				want: []string{"k8s-event@2 reason=RolloutAborted", "aborted@2 reason=RolloutAborted"}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(2), hash: "h2", stable: "h1", phase: "Degraded", abort: true, available: 5, upd: 0}.obj(),
				want: []string{"weight@2 weight=0", "restored@2"}},
		},
	}, {
		name: "blue-green: weight follows the active selector; restored once it selects stable",
		inputs: []input{
			{kind: "rollout", obj: ro{gen: 1, observed: 1, blueGreen: true, hash: "h1", stable: "h1", phase: "Healthy", available: 5, active: "h1"}.obj(),
				want: []string{"weight@0 weight=100", "promoted@0"}},
			{kind: "release", release: 1},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, blueGreen: true, hash: "h2", stable: "h1", phase: "Paused", pauses: []string{"BlueGreenPause"}, available: 5, active: "h1", preview: "h2"}.obj(),
				want: []string{"weight@1 weight=0", "paused@1 reason=BlueGreenPause"}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, blueGreen: true, hash: "h2", stable: "h1", phase: "Progressing", available: 5, active: "h2", preview: "h2"}.obj(),
				want: []string{"weight@1 weight=100"}},
			{kind: "rollout", obj: ro{gen: 2, observed: 2, blueGreen: true, hash: "h2", stable: "h2", phase: "Healthy", available: 5, active: "h2", preview: "h2"}.obj(),
				want: []string{"promoted@1"}},
			{kind: "rs", obj: replicaSet("faultapp-h2", "h2", 5)},
			{kind: "release", release: 2},
			{kind: "rs", obj: replicaSet("faultapp-h3", "h3", 5)},
			{kind: "rollout", obj: ro{gen: 3, observed: 3, blueGreen: true, hash: "h3", stable: "h2", phase: "Paused", available: 5, active: "h2", preview: "h3"}.obj(),
				want: []string{"weight@2 weight=0"}},
			{kind: "rollout", obj: ro{gen: 3, observed: 3, blueGreen: true, hash: "h3", stable: "h2", phase: "Progressing", available: 5, active: "h3", preview: "h3"}.obj(),
				want: []string{"weight@2 weight=100"}},
			{kind: "rollout", obj: ro{gen: 3, observed: 3, blueGreen: true, hash: "h3", stable: "h2", phase: "Degraded", abort: true, available: 5, active: "h3", preview: "h3"}.obj(),
				want: []string{"weight@2 weight=0", "aborted@2 reason=RolloutAborted"}},
			{kind: "rollout", obj: ro{gen: 3, observed: 3, blueGreen: true, hash: "h3", stable: "h2", phase: "Degraded", abort: true, available: 5, active: "h2", preview: "h3"}.obj(),
				want: []string{"restored@2"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDeriver("faultapp")
			for i, in := range tt.inputs {
				now := t0.Add(time.Duration(i) * time.Second)
				got := feed(d, now, in)
				var sums []string
				for _, e := range got {
					sums = append(sums, summary(e))
					if !e.Time.Equal(now) {
						t.Errorf("input %d: event %s stamped %v, want %v", i, summary(e), e.Time, now)
					}
				}
				if strings.Join(sums, "\n") != strings.Join(in.want, "\n") {
					t.Errorf("input %d (%s):\n got %q\nwant %q", i, in.kind, sums, in.want)
				}
			}
		})
	}
}

func TestDeriverAbortMessage(t *testing.T) {
	const msg = `RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)`
	d := NewDeriver("")
	d.Rollout(t0, ro{gen: 1, observed: 1, steps: classicSteps(), step: i64(5), hash: "h1", stable: "h1", phase: "Healthy", available: 5}.obj())
	d.BeginRelease(1)
	evs := d.Rollout(t0, ro{gen: 2, observed: 2, steps: classicSteps(), step: i64(2), hash: "h2", stable: "h1", phase: "Degraded", message: msg, abort: true, available: 5, upd: 1}.obj())
	var found bool
	for _, e := range evs {
		if e.Kind == results.EventAborted {
			found = true
			if e.Message != msg {
				t.Errorf("aborted message = %q, want %q", e.Message, msg)
			}
		}
	}
	if !found {
		t.Fatalf("no aborted event in %v", evs)
	}
	s := d.Snapshot()
	if !s.Aborted || s.Restored || s.Promoted || s.Settled() {
		t.Errorf("snapshot after abort = aborted %v restored %v promoted %v", s.Aborted, s.Restored, s.Promoted)
	}
}
