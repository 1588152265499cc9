package httpx_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/redact"
)

func TestSnippet(t *testing.T) {
	waf := "<html><body><h1>Request blocked</h1><p>Your request was blocked by policy 7. Request: POST /as/token?grant_type=client_credentials&client_secret=Zq8~Kp3.LmN0-pQr_sTuV HTTP/1.1</p></body></html>"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "<html><body>502</body></html>", "<html><body>502</body></html>"},
		{"exactly at the limit", strings.Repeat("x", 120), strings.Repeat("x", 120)},
		{"cut between words", strings.Repeat("x", 120) + " more", strings.Repeat("x", 120) + "…"},
		{"cut inside a word", "see " + strings.Repeat("x", 120), "see " + strings.Repeat("x", 116) + "…"},
		{"a single long word", strings.Repeat("y", 10000), strings.Repeat("y", 120) + "…"},
		{"multi-byte runes", strings.Repeat("é", 55) + " " + strings.Repeat("é", 45), strings.Repeat("é", 55) + " " + strings.Repeat("é", 4) + "…"},
		{"a URL is kept up to the cut", "https://gateway.example.net/errors/E4711/request-rejected-by-upstream-policy/0b5d2f7a-9c13-4c7a-9e61-3f1c5a4e8d2b/details.html",
			"https://gateway.example.net/errors/E4711/request-rejected-by-upstream-policy/0b5d2f7a-9c13-4c7a-9e61-3f1c5a4e8d2b/detail…"},
		{"secret field past the cut", waf, "<html><body><h1>Request blocked</h1><p>Your request was blocked by policy 7. Request: POST /as/token?grant_type=client_c…"},
		{"whole field masked", `{"error":"x","password":"hunter2 or so"}`, `{"error":"x","password": "[REDACTED]"}`},
		{"field masked before the cut", `{"error":"x","access_token":"` + opaqueToken + `","padding":"` + strings.Repeat("p ", 100) + `"}`,
			`{"error":"x","access_token": "[REDACTED]","padding":"` + strings.TrimSpace(strings.Repeat("p ", 34)) + "…"},
		{"JWT masked", "token " + jwtToken + " rejected", "token [REDACTED]…aW5n rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpx.Snippet(nil, []byte(tt.in))
			if got != tt.want {
				t.Errorf("Snippet(%q)\n = %q\nwant %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\t") {
				t.Errorf("Snippet(%q) = %q is not one clean line", tt.in, got)
			}
		})
	}
}

// Wherever a registered secret falls in a body, before, across or after
// the cut, and across the bound on what is searched for fields, the
// snippet shows no part of it: it is masked before the body is cut.
func TestSnippetNeverShowsTheStartOfASecret(t *testing.T) {
	secrets := []string{
		"Zq8~Kp3.LmN0-pQr_sTuV",           // shaped like a PingOne client secret
		"QXBwOlpxOH5LcDMuTG1OMA==",        // a Basic credential
		"Zq8%7EKp3.LmN0-pQr_sTuV%2B%2Fxy", // a form-encoded secret
		opaqueToken,
	}
	contexts := []struct{ before, after string }{
		{"GET /cb?state=1&client_secret=", " HTTP/1.1 blocked"},
		{"echo: ", "\n"},
		{`{"error":"invalid","hint":"`, `"}`},
		{"Authorization: Basic ", "\r\nHost: x"},
		{"<td>", "</td></tr>"},
	}
	const filler = "The request was rejected by the web application firewall of this site; reference 8812. "
	var bodies []string
	for _, secret := range secrets {
		for _, c := range contexts {
			for pad := range 130 {
				bodies = append(bodies, filler[:pad%len(filler)]+strings.Repeat(".", pad/len(filler))+c.before+secret+c.after+strings.Repeat(" tail", 30))
			}
		}
		// White space collapses, so a secret across the end of what is
		// searched for fields is what the snippet starts with.
		for _, pad := range []int{16<<10 - len(secret) + 1, 16<<10 - len(secret)/2, 16<<10 - 1} {
			bodies = append(bodies, strings.Repeat("\n", pad)+secret+" tail")
		}
	}
	for _, body := range bodies {
		var r redact.Redactor
		for _, secret := range secrets {
			r.Add(secret)
		}
		got := httpx.Snippet(&r, []byte(body))
		for _, secret := range secrets {
			for k := 4; k <= len(secret); k++ {
				if strings.Contains(got, secret[:k]) {
					t.Fatalf("Snippet shows %q of secret %q:\n%s", secret[:k], secret, got)
				}
			}
		}
	}
}
