// Package netpolicy holds the rules p1ctl applies to every URL it talks to:
// HTTPS everywhere except on the local machine, and nothing in a URL that
// could smuggle credentials or change where a request goes.
package netpolicy

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// IsLoopbackHost reports whether host (a name or an IP, without port) is the
// local machine: "localhost", 127.0.0.0/8 or ::1. Subdomains of localhost
// do not count: Go's resolver may send them to a DNS server, whose answer
// could point anywhere. Nor does Go's resolver hard-code "localhost" itself
// (without a hosts entry it asks DNS), so for that name this is a claim
// about the URL only: the HTTP client (httpx) also checks that a plain-HTTP
// connection ends at a loopback address.
func IsLoopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// ErrInsecureScheme is returned for a plain-HTTP URL to a host that is not
// on the local machine.
var ErrInsecureScheme = errors.New("HTTPS is required (plain HTTP is allowed only for localhost, 127.0.0.0/8 and ::1)")

// CheckTransport returns ErrInsecureScheme unless u uses HTTPS or is plain
// HTTP to a loopback host.
func CheckTransport(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return ErrInsecureScheme
	default:
		return fmt.Errorf("unsupported URL scheme %q: use https", u.Scheme)
	}
}

// HasControl reports whether s holds a control or other invisible character
// that has no place in an identifier or URL.
func HasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// ParseBaseURL parses a base URL that p1ctl appends paths to. It must be
// absolute, HTTPS (or HTTP on loopback), and carry no user info, query or
// fragment. A trailing slash is removed.
func ParseBaseURL(raw string) (*url.URL, error) {
	if HasControl(raw) || strings.ContainsAny(raw, " \\") {
		return nil, errors.New("contains spaces, backslashes or control characters")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a valid URL: %w", errors.Unwrap(err))
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, errors.New("not an absolute URL (expected https://host/...)")
	}
	if u.User != nil {
		return nil, errors.New("must not contain user name or password")
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") {
		return nil, errors.New("must not contain a query or fragment")
	}
	if err := CheckTransport(u); err != nil {
		return nil, err
	}
	if u.Port() != "" {
		if _, err := net.LookupPort("tcp", u.Port()); err != nil {
			return nil, fmt.Errorf("invalid port %q", u.Port())
		}
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// Host returns rawURL's host (with port, if any) for messages, or rawURL
// itself when it has none.
func Host(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		return u.Host
	}
	return rawURL
}
