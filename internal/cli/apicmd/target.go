package apicmd

import (
	"net/url"
	"strings"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// target is where a request goes.
type target struct {
	// path is what api.Request.Path gets: a path relative to the API base
	// ("/environments/ID?limit=1") or an absolute URL.
	path string
	// display names the target in messages: the path or URL without its
	// query, which may be long.
	display string
	// envID is the environment the path is about, if it names one.
	envID string
	// isEnvironment is set when the path is the environment envID itself
	// (/environments/ID), not a resource under it.
	isEnvironment bool
}

// parseTarget checks the PATH|URL argument. A path is relative to the API
// base whether or not it starts with "/"; an absolute URL must be HTTPS, or
// HTTP on loopback, and carry no user info. Neither may hold "..", control
// characters or backslashes.
func parseTarget(arg string) (target, error) {
	switch {
	case strings.TrimSpace(arg) == "":
		return target{}, cmdutil.FlagErrorf("the PATH or URL is empty")
	case netpolicy.HasControl(arg):
		return target{}, cmdutil.FlagErrorf("%q contains control characters", arg)
	case strings.Contains(arg, `\`):
		return target{}, cmdutil.FlagErrorf("%q contains a backslash", arg)
	}
	lower := strings.ToLower(arg)
	absolute := strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
	var u *url.URL
	var err error
	if absolute {
		if u, err = url.Parse(arg); err != nil {
			return target{}, cmdutil.FlagErrorf("%q is not a valid URL: %v", arg, unwrapURLError(err))
		}
		if u.Host == "" {
			return target{}, cmdutil.FlagErrorf("URL %q has no host", arg)
		}
		if u.User != nil {
			// Masked whole, as settings are: the user name may be a secret
			// too.
			masked := *u
			masked.User = nil
			shown := strings.Replace(masked.String(), "://", "://"+redact.Mask+"@", 1)
			return target{}, cmdutil.FlagErrorf("URL %q must not contain a user name or password: the request carries the access token", shown)
		}
		if err := netpolicy.CheckTransport(u); err != nil {
			return target{}, cmdutil.FlagErrorf("URL %q: %v", arg, err)
		}
	} else {
		if strings.HasPrefix(arg, "//") {
			return target{}, cmdutil.FlagErrorf("path %q starts with //: give a path such as /environments, or a whole https:// URL", arg)
		}
		pathPart, _, _ := strings.Cut(arg, "?")
		if strings.Contains(pathPart, "://") {
			return target{}, cmdutil.FlagErrorf("%q: only https:// URLs (or http:// to this machine) and API paths are accepted", arg)
		}
		if u, err = url.Parse("/" + strings.TrimPrefix(arg, "/")); err != nil {
			return target{}, cmdutil.FlagErrorf("%q is not a valid path: %v", arg, unwrapURLError(err))
		}
	}
	if strings.Contains(u.Path, "..") {
		return target{}, cmdutil.FlagErrorf("path %q contains \"..\"", arg)
	}
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = escapeQuery(u.RawQuery)
	t := target{}
	t.envID, t.isEnvironment = environmentIn(u.Path)
	if absolute {
		t.path = u.String()
		t.display = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
	} else {
		t.display = u.EscapedPath()
		t.path = t.display
		if u.RawQuery != "" {
			t.path += "?" + u.RawQuery
		}
	}
	return t, nil
}

// escapeQuery percent-encodes a query as typed, byte by byte, so that it
// reaches PingOne as the user wrote it: unreserved characters and the
// separators & and = are kept, and so are valid %XX escapes; everything
// else is encoded, including "+" (%2B, which servers would otherwise read
// as a space), spaces (%20), quotes, ";" (which some servers treat as a
// separator) and a "%" not starting an escape. The query is never decoded
// and re-encoded, which would lose "+" and reorder parameters.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case isUnreserved(c) || c == '&' || c == '=':
			b.WriteByte(c)
		case c == '%' && i+2 < len(q) && isHex(q[i+1]) && isHex(q[i+2]):
			b.WriteString(q[i : i+3])
			i += 2
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// environmentIn returns the environment ID in a path such as
// /environments/ID/users, or "", and whether the path is that environment
// itself (/environments/ID).
func environmentIn(path string) (id string, self bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "environments" && config.IsUUID(segs[i+1]) {
			return segs[i+1], i+2 == len(segs)
		}
	}
	return "", false
}

// unwrapURLError drops the *url.Error wrapper, which repeats the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
