package loadgen

import "time"

// Record is what coalmine knows about one request: the per-request truth
// every score is computed from. The recorder writes one Record per request,
// as it completes, to a records file (see RecordWriter / ReadRecords).
type Record struct {
	// Start is when the request was sent (wall clock, UTC).
	Start time.Time
	// Endpoint is the name of the endpoint in the mix (e.g. "checkout").
	Endpoint string
	// User is the X-User-ID sent with the request ("" when no population).
	User string
	// Status is the HTTP status code, 0 when no response was received.
	Status int
	// Latency is the time from send to the end of the response body.
	Latency time.Duration
	// Version is the X-Coalmine-Version response header ("" if none).
	Version string
	// Error is the transport error or the non-2xx reason, "" on success.
	Error string
}

// Failed reports whether the request counts as a failure for scoring:
// no response, or a status outside 2xx/3xx.
func (r Record) Failed() bool { return r.Status < 200 || r.Status >= 400 }
