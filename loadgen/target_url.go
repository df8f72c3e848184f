package loadgen

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ValidateTarget parses a target base URL and enforces the project's
// network rule: load goes to loopback (127.0.0.0/8, ::1, localhost) unless
// allowRemote is set (for the project's own containers and pods). The URL
// must be http or https with a host and no path other than "/", query or
// fragment. It returns the URL without a trailing slash.
func ValidateTarget(raw string, allowRemote bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("target %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("target %q: scheme must be http or https", raw)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("target %q: want scheme://host[:port] only", raw)
	}
	if !allowRemote && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("target %q: host %q is not loopback (127.0.0.1, ::1, localhost); pass --allow-remote for the project's own containers", raw, u.Hostname())
	}
	return strings.TrimSuffix(u.Scheme+"://"+u.Host, "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
