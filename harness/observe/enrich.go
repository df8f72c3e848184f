package observe

import "github.com/coalmine/coalmine/results"

// enrichAborts gives each aborted event the controller's own account of
// the abort when the RolloutAborted Kubernetes event of the same release
// carries one: the Rollout's status message is often shorter ("Step-based
// analysis phase error/fail"), the event names the metric and its limit
// (`... Metric "success-rate" assessed Failed due to failed (4) >
// failureLimit (3)`). The watches run independently, so the status usually
// arrives first and the event a moment later.
func enrichAborts(tl []results.Event) {
	msgs := map[int]string{}
	for _, e := range tl {
		if e.Kind == results.EventK8sEvent && e.Reason == ReasonRolloutAborted {
			if _, seen := msgs[e.Release]; !seen {
				msgs[e.Release] = e.Message
			}
		}
	}
	for i := range tl {
		if m, ok := msgs[tl[i].Release]; ok && tl[i].Kind == results.EventAborted && len(m) > len(tl[i].Message) {
			tl[i].Message = m
		}
	}
}
