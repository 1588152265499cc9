package apicmd

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/redact"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// -i prints the headers of an answer exactly as the --debug trace does:
// one printer, one way of masking credentials, cookies and secrets.
func TestIncludeMasksHeadersAsTheTrace(t *testing.T) {
	const (
		jwt    = "eyJhbGciOiJSUzI1NiJ9.eyJjbGllbnRfaWQiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"
		secret = "Xy7~kP2.qR9_vL4-mN8sT1wZ5bC3dF6gH0jK"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Authorization", "Bearer "+jwt)
		h.Set("Proxy-Authorization", "Basic dXNlcjpwYXNz")
		h.Add("Set-Cookie", "session=cookie-value; HttpOnly")
		h.Add("Set-Cookie", "other=x")
		h.Set("Location", "/next?access_token=token-value&page=2")
		h.Set("X-Echo", "got "+secret)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	r := &redact.Redactor{}
	r.Add(secret)
	var trace testutil.SyncBuffer
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: "c", ClientSecret: "s", EnvironmentID: testEnvID, TokenURL: srv.URL + "/as/token", APIURL: srv.URL + "/v1"}, nil
		},
		APIClient: func() (*api.Client, error) {
			hc := httpx.NewClient(httpx.Options{Debug: &trace, Redactor: r, MaxRetries: -1})
			return &api.Client{BaseURL: srv.URL + "/v1", HTTP: hc, Tokens: testutil.StaticToken("tok"), Redactor: r}, nil
		},
	}
	cmd := NewCmdAPI(f, nil)
	cmd.SetArgs([]string{"-i", "/environments"})
	if err := cmd.ExecuteContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(out.String(), "\n\n")
	included := strings.Split(head, "\n")[1:]
	var traced []string
	for _, line := range strings.Split(trace.String(), "\n") {
		if h, ok := strings.CutPrefix(line, "< "); ok && strings.Contains(h, ": ") {
			traced = append(traced, h)
		}
	}
	if !slices.Equal(included, traced) {
		t.Errorf("-i headers\n%s\ntrace headers\n%s", strings.Join(included, "\n"), strings.Join(traced, "\n"))
	}
	for _, want := range []string{"Authorization: Bearer [REDACTED]…bHVl", "Proxy-Authorization: Basic [REDACTED]", "Set-Cookie: [REDACTED]", "X-Echo: got [REDACTED]", "Location: /next?access_token=[REDACTED]&page=2"} {
		if !slices.Contains(included, want) {
			t.Errorf("-i headers lack %q:\n%s", want, head)
		}
	}
	for _, leak := range []string{jwt, "dXNlcjpwYXNz", "cookie-value", "token-value", secret} {
		if strings.Contains(out.String()+trace.String(), leak) {
			t.Errorf("%q printed", leak)
		}
	}
}
