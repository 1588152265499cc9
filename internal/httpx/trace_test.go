package httpx_test

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
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
	addr := testutil.ClosedPort(t)
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

// The trace masks a body before it cuts it to its traced part, so that a
// secret running past the cut cannot show its first characters: masking
// recognises a field only with its closing quote, and a registered secret
// only whole.
func TestDebugTraceMasksBeforeCutting(t *testing.T) {
	secretPrefixes := func(s string) []string {
		var p []string
		for k := 4; k <= len(s); k++ {
			p = append(p, s[:k])
		}
		return p
	}
	tests := []struct {
		name     string
		body     func(pad int) string
		pads     [2]int // first and last pad to try
		register string // a secret registered with the redactor
		leaks    []string
	}{
		{
			name: "access_token field across the cut",
			body: func(pad int) string {
				return `{"padding":"` + strings.Repeat("p", pad) + `","access_token":"` + opaqueToken + `","tail":"` + strings.Repeat("t ", 100) + `"}`
			},
			pads:  [2]int{4030, 4070},
			leaks: secretPrefixes(opaqueToken),
		},
		{
			name: "registered secret across the cut",
			body: func(pad int) string {
				return strings.Repeat("p", pad) + " echo " + traceSecret + strings.Repeat(" tail", 100)
			},
			pads:     [2]int{4060, 4100},
			register: traceSecret,
			leaks:    secretPrefixes(traceSecret),
		},
		{
			// What is read is masked down to less than is traced, but
			// ends inside the secret.
			name: "registered secret across the end of what is read",
			body: func(pad int) string {
				return `{"password":"` + strings.Repeat("x", pad) + `"} echo ` + traceSecret + strings.Repeat(" tail", 100)
			},
			pads:     [2]int{16340, 16370},
			register: traceSecret,
			leaks:    secretPrefixes(traceSecret),
		},
		{
			name: "password with spaces across the end of what is read",
			body: func(pad int) string {
				return `{"padding":"` + strings.Repeat("p", pad) + `","password":"` + strings.Repeat("correct horse battery staple ", 600) + `"}`
			},
			pads:  [2]int{4000, 4010},
			leaks: []string{"correct"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				pad, _ := strconv.Atoi(r.URL.Query().Get("pad"))
				io.WriteString(w, tt.body(pad))
			}))
			defer srv.Close()
			r := &redact.Redactor{}
			r.Add(tt.register)
			// Pads put the start of the secret on either side of the cut.
			for pad := tt.pads[0]; pad <= tt.pads[1]; pad++ {
				var trace testutil.SyncBuffer
				resp, err := httpx.NewClient(httpx.Options{Debug: &trace, Redactor: r}).Get(srv.URL + "?pad=" + strconv.Itoa(pad))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != tt.body(pad) {
					t.Fatalf("pad %d: caller read %d bytes, want the whole %d-byte body", pad, len(b), len(tt.body(pad)))
				}
				out := trace.String()
				if !strings.Contains(out, "[body truncated]") {
					t.Fatalf("pad %d: body not marked truncated", pad)
				}
				for _, leak := range tt.leaks {
					if strings.Contains(out, leak) {
						t.Fatalf("pad %d: trace shows %q:\n%s", pad, leak, out[max(0, strings.Index(out, leak)-40):])
					}
				}
			}
		})
	}
}

// A sensitive query parameter, in the request line, a redirect's Location
// or the Referer that follows, is masked like a form field; other
// parameters stay readable.
func TestDebugTraceMasksQueryParameters(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/next?client_secret=hunter2xyz&page=2", http.StatusFound)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	var trace testutil.SyncBuffer
	c := httpx.NewClient(httpx.Options{Debug: &trace, Redactor: &redact.Redactor{}})
	resp, err := c.Get(srv.URL + "/start?password=hunter2abc&limit=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := trace.String()
	for _, want := range []string{"> GET " + srv.URL + "/start?password=[REDACTED]&limit=1", "< Location: /next?client_secret=[REDACTED]&page=2", "> GET " + srv.URL + "/next?client_secret=[REDACTED]&page=2", "> Referer: " + srv.URL + "/start?password=[REDACTED]&limit=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("trace shows a query secret:\n%s", out)
	}
}
