package authing

import (
	"regexp"
	"slices"
	"strings"
)

// connectionHeaders describe a connection or the message framing, not the request:
// Authing (or any relay) sets them itself, so a value given for one would be dropped or
// break the request. Headers starting with Proxy- are among them too.
var connectionHeaders = []string{
	"host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "expect",
}

var headerName = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

// IsConnectionHeader reports whether a header, named in any letter case, describes the
// connection rather than the request, so that no request may carry a value for it.
func IsConnectionHeader(name string) bool {
	lower := strings.ToLower(name)
	return slices.Contains(connectionHeaders, lower) || strings.HasPrefix(lower, "proxy-")
}

// ValidHeaderName reports whether name is an HTTP header name (RFC 9110 token).
func ValidHeaderName(name string) bool { return headerName.MatchString(name) }
