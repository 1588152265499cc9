package output

import (
	"strconv"
	"strings"
	"unicode"
)

// OneLine prepares text for a one-line message on a terminal: each run of
// white space (line breaks included) becomes one space, and any other
// character a terminal would act on (escape sequences, bells, bidi
// controls) is written as a Go escape such as \x1b. Messages carry text a
// server sent, which must not be able to move the cursor or repaint the
// screen.
func OneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	clean := true
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsGraphic(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToGraphic(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
