package loadgen

import "strings"

// A request's endpoint name and user are carried in its URL fragment,
// "#ep=NAME&uid=USER". HTTP clients never send the fragment, and vegeta
// copies the target URL into each result, so every result (even a failed
// one) can be attributed without any shared state between the targeter and
// the result reader.
const (
	tagPrefix = "#ep="
	tagUser   = "&uid="
)

func writeTag(b *strings.Builder, endpoint, user string) {
	b.WriteString(tagPrefix)
	b.WriteString(endpoint)
	b.WriteString(tagUser)
	b.WriteString(user)
}

// parseTag returns the endpoint and user of a tagged URL; untagged URLs
// give empty names.
func parseTag(url string) (endpoint, user string) {
	i := strings.LastIndex(url, tagPrefix)
	if i < 0 {
		return "", ""
	}
	endpoint, user, _ = strings.Cut(url[i+len(tagPrefix):], tagUser)
	return endpoint, user
}
