package api

import (
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseError checks that any error body yields an *Error whose message
// is one printable line, whatever the server sent.
func FuzzParseError(f *testing.F) {
	for _, seed := range []string{
		`{"id":"c0ffee","code":"NOT_FOUND","message":"Unable to find environment with ID: 'x'"}`,
		`{"id":"1","code":"ACCESS_FAILED","message":"no","details":[{"code":"INSUFFICIENT_PERMISSIONS","message":"m","innerError":{"retryAfter":2}}]}`,
		`<html><body>502 Bad Gateway</body></html>`,
		`{"code":`,
		`{"details":"not a list"}`,
		"\x00\x01\x02\n\r\t",
		"",
	} {
		f.Add(502, seed)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		resp := &Response{Response: &http.Response{StatusCode: status, Header: http.Header{}}}
		e := ParseError(resp, []byte(body), nil)
		if e.Status != status || e.Error() == "" {
			t.Fatalf("ParseError lost the status or message: %+v", e)
		}
		// PingOne's own fields are kept as sent (the CLI folds them onto one
		// line); a raw body is shown only as a bounded, printable snippet.
		for _, r := range e.Snippet {
			if unicode.IsControl(r) {
				t.Fatalf("snippet has a control character: %q", e.Snippet)
			}
		}
		if utf8.RuneCountInString(e.Snippet) > 130 {
			t.Fatalf("snippet too long: %q", e.Snippet)
		}
		if strings.TrimSpace(body) != "" && e.Code == "" && e.Message == "" && e.Snippet == "" && strings.IndexFunc(body, isPrintable) >= 0 {
			t.Fatalf("non-PingOne body %q left no snippet", body)
		}
	})
}

func isPrintable(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsControl(r) }
