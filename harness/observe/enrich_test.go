package observe

import (
	"testing"

	"github.com/coalmine/coalmine/results"
)

func TestEnrichAborts(t *testing.T) {
	const full = `Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (4) > failureLimit (3)`
	tests := []struct {
		name string
		tl   []results.Event
		want string
	}{
		{"event after status", []results.Event{
			{Kind: results.EventAborted, Release: 1, Reason: ReasonRolloutAborted, Message: "RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error/fail"},
			{Kind: results.EventK8sEvent, Release: 1, Reason: ReasonRolloutAborted, Message: full},
		}, full},
		{"event of another release is not used", []results.Event{
			{Kind: results.EventK8sEvent, Release: 1, Reason: ReasonRolloutAborted, Message: full},
			{Kind: results.EventAborted, Release: 2, Reason: ReasonRolloutAborted, Message: "short"},
		}, "short"},
		{"a shorter event message does not replace", []results.Event{
			{Kind: results.EventAborted, Release: 1, Message: full},
			{Kind: results.EventK8sEvent, Release: 1, Reason: ReasonRolloutAborted, Message: "aborted"},
		}, full},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enrichAborts(tt.tl)
			for _, e := range tt.tl {
				if e.Kind == results.EventAborted && e.Message != tt.want {
					t.Errorf("aborted message %q, want %q", e.Message, tt.want)
				}
			}
		})
	}
}
