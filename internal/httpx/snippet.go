package httpx

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/p1ctl/p1ctl/internal/redact"
)

// maxSnippet is how much of an unexpected body an error message shows.
const maxSnippet = 120

// maxMaskedBody bounds how much of a body is masked before an excerpt of it
// is shown: Snippet and the debug trace mask a field whose value runs past
// the excerpt's end, as long as it ends within this bound (a JSON or form
// value still open there is masked to the end; see redact.Redactor.Body).
const maxMaskedBody = 16 << 10

// Snippet returns the start of body on one line, with control characters
// and runs of white space collapsed, for an error message: enough to
// recognise an HTML page from a proxy, too little to flood a terminal.
//
// Sensitive fields (client_secret=..., "password": "...") and JWTs are
// masked before the body is cut, so a value running past the cut is
// masked too. A cut is marked with redact.Ellipsis, where the redactor
// that callers apply to the finished message also masks the start of a
// registered secret cut short.
func Snippet(body []byte) string {
	more := len(body) > maxMaskedBody
	if more {
		body = body[:maxMaskedBody]
	}
	var b strings.Builder
	space := false
	for _, r := range string(body) {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	text := (*redact.Redactor)(nil).Body(strings.TrimSpace(b.String()))
	if short, cut := excerpt(text, maxSnippet, more); cut {
		return short + redact.Ellipsis
	}
	return text
}

// excerpt returns the start of s, at most n bytes long and ending on a
// whole rune, and whether it is shorter than s. more reports whether s is
// itself cut from a longer text.
func excerpt(s string, n int, more bool) (string, bool) {
	if len(s) <= n {
		return s, more
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRightFunc(s[:n], unicode.IsSpace), true
}
