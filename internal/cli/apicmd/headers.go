package apicmd

import (
	"net/http"
	"strings"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// parseHeaders turns -H 'Name: value' flags into a header. Authorization
// and Host are refused: p1ctl sets the first from the access token, and the
// second from the URL.
func parseHeaders(values []string) (http.Header, error) {
	if len(values) == 0 {
		return nil, nil
	}
	h := http.Header{}
	for _, v := range values {
		name, value, ok := strings.Cut(v, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !validHeaderName(name) {
			return nil, cmdutil.FlagErrorf("--header %q is not of the form 'Name: value'", v)
		}
		if netpolicy.HasControl(value) {
			return nil, cmdutil.FlagErrorf("--header %s: the value contains control characters", name)
		}
		switch http.CanonicalHeaderKey(name) {
		case "Authorization":
			return nil, cmdutil.FlagErrorf("--header Authorization: p1ctl sends the access token itself; use curl with p1ctl token get for another credential")
		case "Host":
			return nil, cmdutil.FlagErrorf("--header Host: the host comes from the PATH or URL")
		}
		h.Add(name, value)
	}
	return h, nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)
		if !ok {
			return false
		}
	}
	return true
}
