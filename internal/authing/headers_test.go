package authing

import "testing"

// The trigger's header validation and the replay's header filter share these rules, so
// that a replay never sends a header the trigger would refuse.
func TestHeaderRules(t *testing.T) {
	for name, want := range map[string]bool{
		"Host": true, "HOST": true, "content-length": true, "Transfer-Encoding": true, "Connection": true,
		"Keep-Alive": true, "TE": true, "Trailer": true, "Upgrade": true, "Expect": true,
		"Proxy-Authorization": true, "proxy-connection": true,
		"X-Api-Key": false, "Authorization": false, "Content-Type": false, "Proxy": false, "Hosts": false,
	} {
		if got := IsConnectionHeader(name); got != want {
			t.Errorf("IsConnectionHeader(%q) = %t, want %t", name, got, want)
		}
	}
	for name, want := range map[string]bool{
		"X-Api-Key": true, "x_weird!#$%&'*+.^`|~9": true,
		"": false, "bad name": false, "a:b": false, "é": false, "a\r\nb": false,
	} {
		if got := ValidHeaderName(name); got != want {
			t.Errorf("ValidHeaderName(%q) = %t, want %t", name, got, want)
		}
	}
}
