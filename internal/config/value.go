package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// CheckValue validates one setting's value, wherever it comes from (flag,
// environment, profile, `p1ctl config set`), and returns it in canonical
// form: region codes in upper case, root and custom domains in lower case,
// URLs without a trailing slash, auth methods in lower case.
func CheckValue(key, value string) (string, error) {
	v := strings.TrimSpace(value)
	if netpolicy.HasControl(v) {
		return "", fmt.Errorf("%s contains control characters", key)
	}
	if isHostKey(key) {
		// The user info may hold a password: never repeat it, not even in
		// the parser's or the host name check's error.
		if shown, ok := maskUserinfo(v); ok {
			return "", fmt.Errorf("%s %q is not usable: must not contain user name or password", key, shown)
		}
	}
	switch key {
	case KeyClientID:
		if strings.ContainsAny(v, " /?#") {
			return "", fmt.Errorf("client ID %q contains spaces or URL characters", v)
		}
	case KeyEnvironmentID:
		if !IsUUID(v) {
			return "", fmt.Errorf("environment ID %q is not a UUID", v)
		}
	case KeyRegion:
		r, err := LookupRegion(v)
		if err != nil {
			return "", err
		}
		return r.Code, nil
	case KeyRootDomain:
		r, err := LookupRootDomain(v)
		if err != nil {
			return "", err
		}
		return r.RootDomain, nil
	case KeyCustomDomain:
		d := strings.ToLower(strings.TrimSuffix(v, "."))
		if !isHostName(d) {
			return "", fmt.Errorf("custom domain %q is not a host name (give the domain only, e.g. auth.example.com)", v)
		}
		return d, nil
	case KeyAuthURL, KeyTokenURL, KeyAPIURL:
		u, err := netpolicy.ParseBaseURL(v)
		if err != nil && strings.Contains(v, "@") {
			// Something like user info the text check missed: keep it out.
			return "", fmt.Errorf("%s is not usable: %w", key, err)
		}
		if err != nil {
			return "", fmt.Errorf("%s %q is not usable: %w", key, v, err)
		}
		return u.String(), nil
	case KeyClientSecretStore:
		if strings.ToLower(v) != StoreKeyring {
			return "", fmt.Errorf("unknown client secret store %q (valid: %s)", v, StoreKeyring)
		}
		return StoreKeyring, nil
	case KeyAuthMethod:
		m := strings.ToLower(v)
		if !slices.Contains(AuthMethods, m) {
			return "", fmt.Errorf("unknown auth method %q (valid: %s)", v, strings.Join(AuthMethods, ", "))
		}
		return m, nil
	}
	return v, nil
}

// isHostKey reports whether key's value names a host, alone or in a URL,
// and so may carry user info ("user:password@").
func isHostKey(key string) bool {
	switch key {
	case KeyRootDomain, KeyCustomDomain, KeyAuthURL, KeyTokenURL, KeyAPIURL:
		return true
	}
	return false
}

// DisplayValue returns key's value as p1ctl shows it, valid or not: a
// secret as [REDACTED], and a URL or domain with its user info masked, so
// that a password in it is never repeated.
func DisplayValue(key, value string) string {
	if k, ok := LookupKey(key); ok && k.Secret && value != "" {
		return "[REDACTED]"
	}
	if isHostKey(key) {
		value, _ = maskUserinfo(value)
	}
	return value
}

// maskUserinfo returns raw with its user info ("user:password@") replaced
// by "[REDACTED]@", and whether there was any: the value is then shown
// with what is wrong in it, but without the password. It works on the
// text, so that even a URL the parser rejects is masked. Everything after
// the scheme up to the last '@' counts as user info: a password may hold
// an unescaped '/', '?' or '#', and a base URL has no use for an '@'.
func maskUserinfo(raw string) (string, bool) {
	start := 0
	if m := schemePattern().FindString(raw); m != "" {
		// Only a scheme's "://" starts the authority: a value without
		// one (a domain) may hold "//" in its password.
		start = len(m)
	}
	at := strings.LastIndex(raw[start:], "@")
	if at < 0 {
		return raw, false
	}
	return raw[:start] + "[REDACTED]" + raw[start+at:], true
}

// schemePattern matches a URL's scheme and "://" (RFC 3986); it is
// compiled on first use: start-up stays lean.
var schemePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)
})

// hostNamePattern is compiled on first use: start-up stays lean.
var hostNamePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
})

func isHostName(s string) bool { return len(s) <= 253 && hostNamePattern().MatchString(s) }

// IsUUID reports whether s is a UUID in its canonical textual form
// (8-4-4-4-12 hexadecimal digits), as PingOne's resource IDs are.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}
