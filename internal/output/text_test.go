package output

import "testing"

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain message", "plain message"},
		{"  spread\nover\tlines \r\n", "spread over lines"},
		{`quotes "stay" as typed`, `quotes "stay" as typed`},
		{"unicode: région ✓ 日本", "unicode: région ✓ 日本"},
		{"clear \x1b[2J screen", `clear \x1b[2J screen`},
		{"title \x1b]0;pwned\a here", `title \x1b]0;pwned\a here`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"del \x7f c1 \u009b", `del \x7f c1 \u009b`},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
