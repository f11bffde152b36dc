package authing

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultHost is the public Authing API host.
const DefaultHost = "https://api.authing.cn"

// ParseHost checks that host is an absolute https URL with nothing after the host name,
// or an http URL to a loopback address, and returns it without a trailing slash.
func ParseHost(host string) (string, error) {
	raw := strings.TrimSpace(host)
	if raw == "" {
		return "", fmt.Errorf("host is empty; use %q or your private deployment's https URL", DefaultHost)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		shown := strings.TrimPrefix(hostForErrors(raw), "//")
		return "", fmt.Errorf("host %q is not an absolute URL; write it with its scheme, for example \"https://%s\"", shown, shown)
	}
	if u.User != nil {
		return "", fmt.Errorf("host %q must not carry user information; credentials go in access_key_id and access_key_secret", hostForErrors(raw))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", fmt.Errorf("host %q must not have a query or fragment", hostForErrors(raw))
	}
	if strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("host %q must not have a path: the provider adds /api/v3/... itself", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return "", fmt.Errorf("host %q uses plain http, which is accepted only for loopback addresses (127.0.0.0/8, ::1, localhost); use https", raw)
		}
	default:
		return "", fmt.Errorf("host %q has scheme %q; use https", raw, u.Scheme)
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host, nil
}

// hostForErrors is raw as an error may show it: user information (between the scheme's
// "//", if any, and the last @) and a query or fragment can carry a credential, so each is
// replaced by a marker.
func hostForErrors(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i+1] + "***"
	}
	if at := strings.LastIndex(raw, "@"); at >= 0 {
		start := 0
		if i := strings.Index(raw[:at], "//"); i >= 0 {
			start = i + len("//")
		}
		raw = raw[:start] + "***" + raw[at:]
	}
	return raw
}

// IsLoopback reports whether a host name (without port) is a loopback address or localhost.
func IsLoopback(hostname string) bool {
	if strings.EqualFold(hostname, "localhost") {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}
