package loadgen

import (
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// fillRecord sets rec from a vegeta result.
func fillRecord(rec *Record, r *vegeta.Result) {
	endpoint, user := parseTag(r.URL)
	*rec = Record{
		Start:    r.Timestamp.UTC(),
		Endpoint: endpoint,
		User:     user,
		Status:   int(r.Code),
		Latency:  r.Latency,
		Error:    trimURLError(r.Error),
	}
	if v := r.Headers[versionHeader]; len(v) > 0 {
		rec.Version = v[0]
	}
}

// trimURLError drops the `Op "URL": ` prefix of Go's client errors
// (*url.Error): the record already names the endpoint and user, and the URL
// (with its tag) would make every error string unique.
func trimURLError(msg string) string {
	op, rest, ok := strings.Cut(msg, ` "`)
	if !ok || op == "" || strings.IndexFunc(op, notLetter) >= 0 {
		return msg
	}
	url, cause, ok := strings.Cut(rest, `": `)
	if !ok || !strings.Contains(url, "://") {
		return msg
	}
	return cause
}

func notLetter(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') }
