package httpx

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/p1ctl/p1ctl/internal/redact"
)

// maxSnippet is how much of an unexpected body an error message shows.
const maxSnippet = 120

// maxMaskedBody bounds the part of a body searched for sensitive fields
// before an excerpt of it is shown: far more than an excerpt shows, and a
// field whose value is still open at the bound is masked to the end (see
// redact.Redactor.Body).
const maxMaskedBody = 16 << 10

// Snippet returns the start of body on one line, with control characters
// and runs of white space collapsed, for an error message: enough to
// recognise an HTML page from a proxy, too little to flood a terminal.
// body is masked by r before it is cut (see masked), so no part of a
// secret running past the cut can show; a cut is marked with
// redact.Ellipsis.
func Snippet(r *redact.Redactor, body []byte) string {
	text, more := masked(r, body)
	var b strings.Builder
	space := false
	for _, r := range text {
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
	text = strings.TrimSpace(b.String())
	if short, cut := excerpt(text, maxSnippet, more); cut {
		return short + redact.Ellipsis
	}
	return text
}

// masked returns body masked by r for quoting, and whether it was cut:
// registered secrets and JWTs throughout (a cheap search, and so none is
// cut in two by the bound), then sensitive fields in the first
// maxMaskedBody bytes, which is all that is returned.
func masked(r *redact.Redactor, body []byte) (string, bool) {
	text, more := excerpt(r.String(string(body)), maxMaskedBody, false)
	return r.Body(text), more
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
