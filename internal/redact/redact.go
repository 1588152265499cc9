// Package redact keeps secrets out of everything p1ctl prints: error
// messages, warnings and debug traces. Values are registered as they become
// known (the client secret at start-up, each access token as it is issued)
// and every string bound for a person passes through String.
package redact

import (
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// minSecretLen is the shortest value worth masking: masking a one- or
// two-character "secret" would garble unrelated text.
const minSecretLen = 4

// Redactor masks registered secret values. The zero value is ready to use,
// and a nil *Redactor masks only by pattern. It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers secret values to mask from now on.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		r.secrets = append(r.secrets, s)
		// Also mask the forms a secret takes inside a URL-encoded body.
		if q := url.QueryEscape(s); q != s {
			r.secrets = append(r.secrets, q)
		}
	}
	// Longest first, so a secret containing another is masked whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// AddClientSecret registers a client secret together with the HTTP Basic
// credentials built from it: base64 of "id:secret", both as is and with id
// and secret form-encoded first, as OAuth 2.0 clients send them. A token
// endpoint or proxy that echoes the Authorization header in an error then
// reveals nothing: the credential decodes to the secret.
func (r *Redactor) AddClientSecret(clientID, secret string) {
	if secret == "" {
		return
	}
	r.Add(secret,
		base64.StdEncoding.EncodeToString([]byte(clientID+":"+secret)),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret))))
}

// Patterns are compiled on first use, so that start-up stays lean.
var (
	// jwtPattern matches anything shaped like a JWS compact serialization.
	jwtPattern = lazyRegexp(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// formFieldPattern finds sensitive fields' values in a URL-encoded body
	// or in a query string quoted in text (an HTML page echoing a URL). A
	// URL-encoded value holds none of the characters that end it here.
	formFieldPattern = lazyRegexp(`(?i)(^|[^A-Za-z0-9_.-])(` + strings.Join(sensitiveFields, "|") + `)=[^&\s"'<>#]*`)
	// jsonFieldPattern finds sensitive fields' string values, escaped quotes
	// included. A string still open at the end of the text (a body cut
	// short) is masked to the end.
	jsonFieldPattern = lazyRegexp(`(?i)"(` + strings.Join(sensitiveFields, "|") + `)"\s*:\s*"(?:[^"\\]|\\.)*(?:"|\\?$)`)
	// jsonObjectFieldPattern finds the start of sensitive fields whose value
	// is an object; maskJSONObjects finds where the object ends.
	jsonObjectFieldPattern = lazyRegexp(`(?i)"(` + strings.Join(sensitiveObjectFields, "|") + `)"\s*:\s*\{`)
)

func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// String masks every registered secret and anything shaped like a JWT in s.
// A secret is recognised only whole: text quoted from elsewhere must be
// masked before it is cut short.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, secret := range r.secrets {
			s = strings.ReplaceAll(s, secret, Mask)
		}
		r.mu.RUnlock()
	}
	return jwtPattern().ReplaceAllStringFunc(s, Token)
}

// Ellipsis marks where text quoted from elsewhere was cut short, as in an
// error message's excerpt of a server's answer.
const Ellipsis = "…"

// Token masks a token, keeping at most its last four characters so that two
// tokens in a trace can still be told apart.
func Token(tok string) string {
	if len(tok) < 16 {
		return Mask
	}
	return Mask + Ellipsis + tok[len(tok)-4:]
}

// sensitiveHeaders are masked whole, apart from an auth scheme and, for
// bearer tokens, the last four characters.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// Header returns h as "prefix Name: value" lines sorted by name: the one
// way p1ctl prints headers (the --debug trace, api -i). Credentials and
// cookies are masked whole, apart from an auth scheme ("Basic", "Bearer")
// and a bearer token's last four characters, so that two can be told
// apart; a Basic credential's would decode to the secret's last bytes.
// Other values are masked as Body masks them (a secret query parameter in
// a Location, say).
func (r *Redactor) Header(h http.Header, prefix string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			b.WriteString(prefix + name + ": " + r.headerValue(name, v) + "\n")
		}
	}
	return b.String()
}

func (r *Redactor) headerValue(name, v string) string {
	if !sensitiveHeaders[http.CanonicalHeaderKey(name)] {
		return r.Body(v)
	}
	scheme, cred, ok := strings.Cut(v, " ")
	switch {
	case ok && strings.EqualFold(scheme, "Bearer"):
		return scheme + " " + Token(cred)
	case ok && strings.EqualFold(scheme, "Basic"):
		return scheme + " " + Mask
	default:
		return Mask
	}
}

// sensitiveFields are form and JSON field names whose values are secret.
// "secret" is how PingOne returns an application's client secret
// (GET /environments/{id}/applications/{id}/secret).
var sensitiveFields = []string{"client_secret", "client_assertion", "access_token", "refresh_token", "id_token", "assertion", "password", "secret", "token"}

// sensitiveObjectFields are JSON field names whose value is secret even
// when it is an object, such as the {"password": {"value": "..."}} that
// creates a PingOne user.
var sensitiveObjectFields = []string{"password", "secret"}

// Body masks sensitive fields in a URL-encoded or JSON body, then any
// registered secret or JWT left. A body cut short is masked safely: a
// sensitive value still open at its end is masked to the end.
func (r *Redactor) Body(body string) string {
	body = formFieldPattern().ReplaceAllString(body, "$1$2="+Mask)
	body = maskJSONObjects(body)
	body = jsonFieldPattern().ReplaceAllString(body, `"$1": "`+Mask+`"`)
	return r.String(body)
}

// maskJSONObjects replaces the object value of each sensitive object field
// with Mask. An object still open at the end of body is masked to the end.
func maskJSONObjects(body string) string {
	var b strings.Builder
	for {
		loc := jsonObjectFieldPattern().FindStringSubmatchIndex(body)
		if loc == nil {
			if b.Len() == 0 {
				return body
			}
			b.WriteString(body)
			return b.String()
		}
		// loc[1] is just past the object's opening brace.
		end := loc[1] + objectLen(body[loc[1]:])
		b.WriteString(body[:loc[0]])
		b.WriteString(`"` + body[loc[2]:loc[3]] + `": "` + Mask + `"`)
		body = body[end:]
	}
}

// objectLen returns the length of s up to and including the brace that
// closes an object whose opening brace precedes s, or len(s) if none does.
// Braces inside strings do not count.
func objectLen(s string) int {
	depth := 1
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}
