package apicmd

import (
	"net/url"
	"strings"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
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
			return target{}, cmdutil.FlagErrorf("URL %q must not contain a user name or password: the request carries the access token", u.Redacted())
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
	if needsQueryEscaping(u.RawQuery) {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return target{}, cmdutil.FlagErrorf("query of %q: %v", arg, err)
		}
		u.RawQuery = q.Encode()
	}
	t := target{envID: environmentIn(u.Path)}
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

// needsQueryEscaping reports whether a raw query holds characters that
// cannot appear in a URL as they are, such as the spaces and quotes of
// filter=name sw "Dev".
func needsQueryEscaping(q string) bool {
	for _, r := range q {
		if r > 0x7e || r <= ' ' || strings.ContainsRune("\"<>\\^`{|}", r) {
			return true
		}
	}
	return false
}

// environmentIn returns the environment ID in a path such as
// /environments/ID/users, or "".
func environmentIn(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if segs[i] == "environments" && config.IsUUID(segs[i+1]) {
			return segs[i+1]
		}
	}
	return ""
}

// unwrapURLError drops the *url.Error wrapper, which repeats the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
