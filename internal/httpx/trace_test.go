package httpx_test

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/redact"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

const (
	traceSecret = "s3cr3t/with+chars=="
	jwtToken    = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJjbGllbnRfaWQiOiJhcHAiLCJzY29wZSI6InAxIn0.c2lnbmF0dXJlLXZhbHVlLWZvci10ZXN0aW5n"
	opaqueToken = "opaque-access-token-0123456789abcdef"
)

func TestDebugTraceRedacts(t *testing.T) {
	tests := []struct {
		name     string
		token    string
		padding  int // extra response bytes, to push past the traced part
		register bool
	}{
		{name: "JWT access token", token: jwtToken},
		{name: "opaque access token", token: opaqueToken},
		{name: "registered opaque token", token: opaqueToken, register: true},
		{name: "large response", token: jwtToken, padding: 20 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			respBody := `{"access_token":"` + tt.token + `","token_type":"Bearer","expires_in":3600,"padding":"` + strings.Repeat("p", tt.padding) + `"}`
			var gotBody string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				gotBody = string(b)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Set-Cookie", "session="+tt.token)
				io.WriteString(w, respBody)
			}))
			defer srv.Close()

			r := &redact.Redactor{}
			r.Add(traceSecret)
			if tt.register {
				r.Add(tt.token)
			}
			var trace testutil.SyncBuffer
			c := httpx.NewClient(httpx.Options{Debug: &trace, Redactor: r, UserAgent: "p1ctl/test"})
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {traceSecret}}.Encode()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/env/as/token", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("app", traceSecret)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != respBody {
				t.Errorf("caller read %d bytes, want the full %d-byte body", len(body), len(respBody))
			}
			if gotBody != form {
				t.Errorf("server got body %q, want %q", gotBody, form)
			}

			out := trace.String()
			for _, want := range []string{
				"> POST " + srv.URL + "/env/as/token\n",
				"> Content-Type: application/x-www-form-urlencoded\n",
				"> User-Agent: p1ctl/test\n",
				"> Authorization: Basic [REDACTED]",
				"grant_type=client_credentials",
				"client_secret=[REDACTED]",
				"< Content-Type: application/json\n",
				`"token_type":"Bearer"`,
			} {
				if !strings.Contains(out, want) {
					t.Errorf("trace lacks %q:\n%s", want, out)
				}
			}
			if !regexp.MustCompile(`(?m)^< HTTP/1\.1 200 OK \([0-9.]+(ns|µs|ms|s)\)$`).MatchString(out) {
				t.Errorf("trace lacks the status line with timing:\n%s", out)
			}
			basic := base64.StdEncoding.EncodeToString([]byte("app:" + traceSecret))
			for name, leak := range map[string]string{
				"secret":             traceSecret,
				"URL-encoded secret": url.QueryEscape(traceSecret),
				"Basic credentials":  basic,
				"access token":       tt.token,
			} {
				if strings.Contains(out, leak) {
					t.Errorf("trace leaks the %s:\n%s", name, out)
				}
			}
			if tt.padding > 0 && !strings.Contains(out, "[body truncated]") {
				t.Error("large body not marked truncated")
			}
		})
	}
}

func TestDebugTraceError(t *testing.T) {
	addr := closedPort(t)
	r := &redact.Redactor{}
	r.Add(traceSecret)
	var trace testutil.SyncBuffer
	c := httpx.NewClient(httpx.Options{Debug: &trace, Redactor: r, MaxRetries: -1})
	req, _ := http.NewRequest("POST", "http://"+addr+"/as/token", strings.NewReader("client_secret="+url.QueryEscape(traceSecret)))
	_, err := c.Do(req)
	var netErr *httpx.NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	out := trace.String()
	if !strings.Contains(out, "> POST http://"+addr+"/as/token") || !strings.Contains(out, "< error after ") {
		t.Errorf("trace:\n%s", out)
	}
	if strings.Contains(out, url.QueryEscape(traceSecret)) || strings.Contains(out, traceSecret) {
		t.Errorf("trace leaks the secret:\n%s", out)
	}
}

func TestDebugTraceNilRedactor(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"access_token":"`+opaqueToken+`"}`)
	}))
	defer srv.Close()
	var trace testutil.SyncBuffer
	resp, err := httpx.NewClient(httpx.Options{Debug: &trace}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), opaqueToken) {
		t.Errorf("body %q", b)
	}
	if strings.Contains(trace.String(), opaqueToken) {
		t.Errorf("trace leaks the token:\n%s", trace.String())
	}
}
