package redact

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

const sampleJWT = "eyJhbGciOiJSUzI1NiJ9.eyJjbGllbnRfaWQiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"

func TestString(t *testing.T) {
	var r Redactor
	r.Add("s3cr3t/with+chars", "ab")
	tests := []struct {
		in, want string
	}{
		{"secret is s3cr3t/with+chars!", "secret is [REDACTED]!"},
		{"form client_secret=s3cr3t%2Fwith%2Bchars", "form client_secret=[REDACTED]"},
		{"short ab stays", "short ab stays"},
		{"token " + sampleJWT, "token [REDACTED]…bHVl"},
		{"nothing here", "nothing here"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNilRedactorMasksJWTs(t *testing.T) {
	var r *Redactor
	r.Add("ignored")
	if got := r.String("x " + sampleJWT); strings.Contains(got, sampleJWT) {
		t.Fatalf("JWT not masked: %q", got)
	}
}

// Header prints every header sorted, credentials and cookies masked
// (keeping an auth scheme and a bearer token's last four characters), and
// other values masked as a body is.
func TestHeader(t *testing.T) {
	var r Redactor
	r.Add("s3cr3t/with+chars")
	h := http.Header{
		"Authorization":       {"Bearer " + sampleJWT},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"Cookie":              {"a=b"},
		"Set-Cookie":          {"session=abc; HttpOnly", "other=x"},
		"Location":            {"/next?client_secret=hunter2&page=2"},
		"X-Echo":              {"got s3cr3t/with+chars"},
		"Content-Type":        {"application/json"},
	}
	want := "< Authorization: Bearer [REDACTED]…bHVl\n" +
		"< Content-Type: application/json\n" +
		"< Cookie: [REDACTED]\n" +
		"< Location: /next?client_secret=[REDACTED]&page=2\n" +
		"< Proxy-Authorization: Basic [REDACTED]\n" +
		"< Set-Cookie: [REDACTED]\n" +
		"< Set-Cookie: [REDACTED]\n" +
		"< X-Echo: got [REDACTED]\n"
	if got := r.Header(h, "< "); got != want {
		t.Errorf("Header =\n%s\nwant\n%s", got, want)
	}
	if h.Get("Authorization") != "Bearer "+sampleJWT {
		t.Error("Header modified its input")
	}
	// A Basic credential is masked whole, however long: its tail would
	// decode to the tail of the secret.
	for _, cred := range []string{"dXNlcjpwYXNz", "NWI0MWVmYmEtOTMwNzpTdXAzclMzY3JldFZhbHVlLXh5eg=="} {
		if got := r.Header(http.Header{"Authorization": {"Basic " + cred}}, ""); got != "Authorization: Basic [REDACTED]\n" {
			t.Errorf("Basic credential %q printed as %q", cred, got)
		}
	}
}

func TestAddClientSecret(t *testing.T) {
	var r Redactor
	r.AddClientSecret("5b41efba-9307", "Sup3r S3cret+Value")
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct{ name, leak string }{
		{"the secret", "Sup3r S3cret+Value"},
		{"form-encoded secret", "Sup3r+S3cret%2BValue"},
		{"Basic credential", b64("5b41efba-9307:Sup3r S3cret+Value")},
		{"Basic credential of form-encoded parts", b64("5b41efba-9307:Sup3r+S3cret%2BValue")},
	}
	for _, tt := range tests {
		in := "the server said: got " + tt.leak + "."
		if got := r.String(in); got != "the server said: got "+Mask+"." {
			t.Errorf("%s: String(%q) = %q", tt.name, in, got)
		}
	}
	var empty Redactor
	empty.AddClientSecret("client-id", "")
	if got := empty.String("client-id: nothing to mask"); got != "client-id: nothing to mask" {
		t.Errorf("an empty secret masked something: %q", got)
	}
}

func TestBody(t *testing.T) {
	var r Redactor
	tests := []struct {
		in, want string
	}{
		{"grant_type=client_credentials&client_secret=abc&scope=x", "grant_type=client_credentials&client_secret=[REDACTED]&scope=x"},
		{"client_assertion=xyz&client_assertion_type=urn", "client_assertion=[REDACTED]&client_assertion_type=urn"},
		{`{"access_token":"opaque-token-value","expires_in":3600}`, `{"access_token": "[REDACTED]","expires_in":3600}`},
		// Escaped quotes do not end a value.
		{`{"password":"ab\"cdefSECRET"}`, `{"password": "[REDACTED]"}`},
		{`{"token":"a\\","next":"b"}`, `{"token": "[REDACTED]","next":"b"}`},
		// A PingOne application secret, and a user's password object.
		{`{"secret":"Zq8~Kp3.LmN0","previous":{"secret":"Old~1","expiresAt":"2026-01-01"}}`, `{"secret": "[REDACTED]","previous":{"secret": "[REDACTED]","expiresAt":"2026-01-01"}}`},
		{`{"username":"u","password":{"value":"p4ss","forceChange":true},"enabled":true}`, `{"username":"u","password": "[REDACTED]","enabled":true}`},
		{`{"secret": {"a":{"b":"}{\"}"},"c":"x"}, "id":"1"}`, `{"secret": "[REDACTED]", "id":"1"}`},
		{`{"passwordPolicy":{"id":"p"},"secrets":"n"}`, `{"passwordPolicy":{"id":"p"},"secrets":"n"}`},
		// A body cut short: the open value is masked to the end.
		{`{"id":"1","access_token":"opaque-acc`, `{"id":"1","access_token": "[REDACTED]"`},
		{`{"token":"abc\`, `{"token": "[REDACTED]"`},
		{`{"password":{"value":"correct horse`, `{"password": "[REDACTED]"`},
		// A query string quoted in text or HTML.
		{`<a href="/cb?code=1&client_secret=Zq8~K">x</a>`, `<a href="/cb?code=1&client_secret=[REDACTED]">x</a>`},
		{"blocked GET /as/token?client_secret=Zq8~K HTTP/1.1", "blocked GET /as/token?client_secret=[REDACTED] HTTP/1.1"},
		{"my_password=x&x.token=y&secret=z", "my_password=x&x.token=y&secret=[REDACTED]"},
	}
	for _, tt := range tests {
		if got := r.Body(tt.in); got != tt.want {
			t.Errorf("Body(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestToken(t *testing.T) {
	if got := Token("short"); got != Mask {
		t.Errorf("Token(short) = %q", got)
	}
	if got := Token("0123456789abcdefWXYZ"); got != Mask+"…WXYZ" {
		t.Errorf("Token(long) = %q", got)
	}
}
