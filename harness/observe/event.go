package observe

import (
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// KubeEvent is a core/v1 Event reduced to what the timeline keeps.
type KubeEvent struct {
	UID     string
	Count   int
	Kind    string // involved object's kind
	Object  string // involved object's name
	Type    string // Normal or Warning
	Reason  string
	Message string
	Time    time.Time
}

// ParseEvent reads a core/v1 Event object.
func ParseEvent(u *unstructured.Unstructured) KubeEvent {
	o := u.Object
	e := KubeEvent{
		UID:     string(u.GetUID()),
		Kind:    str(o, "involvedObject", "kind"),
		Object:  str(o, "involvedObject", "name"),
		Type:    str(o, "type"),
		Reason:  str(o, "reason"),
		Message: str(o, "message"),
	}
	if c, ok := num(o, "count"); ok {
		e.Count = int(c)
	}
	for _, f := range []string{"lastTimestamp", "eventTime", "firstTimestamp"} {
		if t := timestamp(o, f); !t.IsZero() {
			e.Time = t
			break
		}
	}
	return e
}

// Argo Rollouts event reasons the observer interprets.
const (
	ReasonRolloutAborted   = "RolloutAborted"
	ReasonRolloutCompleted = "RolloutCompleted"
)
