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
// masked, and a cut never ends inside a word, which could be the first
// characters of a secret: callers mask registered secrets in the finished
// message, and that works only on whole secrets.
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
		return short + "…"
	}
	return text
}

// excerpt returns the start of s, at most n bytes long, and whether it is
// shorter than s. more reports whether s is itself cut from a longer text.
// The excerpt never ends inside a word (see isWordRune): a partial word at
// the end is dropped whole, since it may be the start of a secret that
// masking, done on whole secrets, cannot recognise any more.
func excerpt(s string, n int, more bool) (string, bool) {
	if len(s) <= n && !more {
		return s, false
	}
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		if r, _ := utf8.DecodeRuneInString(s[n:]); !isWordRune(r) {
			// The cut falls between words: the last one is whole.
			return strings.TrimRightFunc(s[:n], unicode.IsSpace), true
		}
	} else {
		n = len(s)
	}
	i := strings.LastIndexFunc(s[:n], func(r rune) bool { return !isWordRune(r) })
	return strings.TrimRightFunc(s[:max(i, 0)], unicode.IsSpace), true
}

// isWordRune reports whether r can be part of a secret as an excerpt sees
// it: a letter, a digit, or a character found in generated client secrets
// (~ . _ -), base64 (+ / =), URL encoding (%) or JSON escapes (\). Other
// punctuation, symbols and white space end a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune(`~._-+/=%\`, r)
}
