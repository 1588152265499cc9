package httpx

import (
	"strings"
	"unicode"
)

// maxSnippet is how much of an unexpected body an error message shows.
const maxSnippet = 120

// Snippet returns the start of body on one line, with control characters
// and runs of white space collapsed, for an error message: enough to
// recognise an HTML page from a proxy, too little to flood a terminal.
func Snippet(body []byte) string {
	var b strings.Builder
	space := false
	for _, r := range string(body) {
		if b.Len() >= maxSnippet {
			b.WriteString("…")
			break
		}
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
	return strings.TrimSpace(b.String())
}
