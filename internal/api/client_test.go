package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/p1ctl/p1ctl/internal/api"
)

const envID = "abcdef01-2345-4678-9abc-def012345678"

// fakeTokens hands out tok-1, tok-2, ...: a new one after each Invalidate
// of the current one.
type fakeTokens struct {
	mu          sync.Mutex
	n           int
	err         error
	refreshErr  error // returned by Invalidate
	invalidated []string
}

func (f *fakeTokens) AccessToken(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	if f.n == 0 {
		f.n = 1
	}
	return fmt.Sprintf("tok-%d", f.n), nil
}

func (f *fakeTokens) Invalidate(_ context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalidated = append(f.invalidated, token)
	if f.refreshErr != nil {
		return f.refreshErr
	}
	if token == fmt.Sprintf("tok-%d", f.n) {
		f.n++
	}
	return nil
}

// seen is one request the test API server got.
type seen struct {
	Method, Path, RawPath, Auth, Accept, ContentType string
	Body                                             string
}

// apiServer is a test management API; handle answers each request given
// the requests so far (this one last).
type apiServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newAPIServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, reqs []seen)) *apiServer {
	t.Helper()
	s := &apiServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{
			Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), Auth: r.Header.Get("Authorization"),
			Accept: r.Header.Get("Accept"), ContentType: r.Header.Get("Content-Type"), Body: string(body),
		})
		reqs := append([]seen(nil), s.reqs...)
		s.mu.Unlock()
		handle(w, r, reqs)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *apiServer) client(tokens api.TokenSource) *api.Client {
	return &api.Client{BaseURL: s.URL + "/v1", HTTP: s.Client(), Tokens: tokens}
}

func TestDoAddsBearerToken(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) { io.WriteString(w, "{}") })
	tokens := &fakeTokens{}
	resp, err := srv.client(tokens).Do(context.Background(), api.Request{Path: "/environments"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Auth != "Bearer tok-1" || r.Method != http.MethodGet || r.Path != "/v1/environments" || r.Accept != "application/json" {
		t.Errorf("request = %+v", r)
	}
	if r.ContentType != "" {
		t.Errorf("Content-Type %q on a bodiless GET", r.ContentType)
	}
	if len(tokens.invalidated) != 0 {
		t.Errorf("Invalidate called: %q", tokens.invalidated)
	}
}

func TestDoHeadersAndBody(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) { w.WriteHeader(204) })
	c := srv.client(&fakeTokens{})
	resp, err := c.Do(context.Background(), api.Request{
		Method: http.MethodPost,
		Path:   "environments",
		Header: http.Header{"accept": {"application/hal+json"}, "Authorization": {"Bearer smuggled"}},
		Body:   []byte(`{"name":"x"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := srv.requests()[0]
	if r.Method != "POST" || r.Body != `{"name":"x"}` || r.ContentType != "application/json" || r.Accept != "application/hal+json" {
		t.Errorf("request = %+v", r)
	}
	if r.Auth != "Bearer tok-1" {
		t.Errorf("Authorization = %q, want the source's token", r.Auth)
	}
}

func TestDoRetriesOnceOn401(t *testing.T) {
	tests := []struct {
		name         string
		rejectTokens map[string]bool // tokens the server answers 401 to
		method       string
		body         []byte
		wantStatus   int
		wantRequests []string // Authorization of each request
		wantInval    []string
	}{
		{
			name:         "revoked token replaced",
			rejectTokens: map[string]bool{"tok-1": true},
			wantStatus:   200,
			wantRequests: []string{"Bearer tok-1", "Bearer tok-2"},
			wantInval:    []string{"tok-1"},
		},
		{
			name:         "POST body replayed",
			rejectTokens: map[string]bool{"tok-1": true},
			method:       http.MethodPost,
			body:         []byte(`{"a":1}`),
			wantStatus:   200,
			wantRequests: []string{"Bearer tok-1", "Bearer tok-2"},
			wantInval:    []string{"tok-1"},
		},
		{
			name:         "second 401 returned, no third try",
			rejectTokens: map[string]bool{"tok-1": true, "tok-2": true, "tok-3": true},
			wantStatus:   401,
			wantRequests: []string{"Bearer tok-1", "Bearer tok-2"},
			wantInval:    []string{"tok-1"},
		},
		{
			name:         "403 not retried",
			rejectTokens: map[string]bool{},
			wantStatus:   200,
			wantRequests: []string{"Bearer tok-1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, _ []seen) {
				if tt.rejectTokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
					w.WriteHeader(401)
					io.WriteString(w, `{"id":"x","code":"ACCESS_FAILED","message":"The access token is invalid","details":[{"code":"INVALID_TOKEN","message":"expired"}]}`)
					return
				}
				io.WriteString(w, `{"ok":true}`)
			})
			tokens := &fakeTokens{}
			resp, err := srv.client(tokens).Do(context.Background(), api.Request{Method: tt.method, Path: "/environments/" + envID, Body: tt.body})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if tt.wantStatus == 401 && !bytes.Contains(body, []byte("ACCESS_FAILED")) {
				t.Errorf("final 401 body not readable: %q", body)
			}
			reqs := srv.requests()
			var auths []string
			for _, r := range reqs {
				auths = append(auths, r.Auth)
				if string(tt.body) != r.Body {
					t.Errorf("request body %q, want %q", r.Body, tt.body)
				}
			}
			if strings.Join(auths, ",") != strings.Join(tt.wantRequests, ",") {
				t.Errorf("requests %q, want %q", auths, tt.wantRequests)
			}
			if strings.Join(tokens.invalidated, ",") != strings.Join(tt.wantInval, ",") {
				t.Errorf("invalidated %q, want %q", tokens.invalidated, tt.wantInval)
			}
		})
	}
}

// When no new token can be had after a 401, Do returns the token
// endpoint's error and does not send the refused token again.
func TestDoReturnsRefreshError(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
		w.WriteHeader(401)
		io.WriteString(w, `{"id":"x","code":"ACCESS_FAILED","message":"The access token is invalid"}`)
	})
	refreshErr := errors.New("token endpoint unavailable")
	tokens := &fakeTokens{refreshErr: refreshErr}
	resp, err := srv.client(tokens).Do(context.Background(), api.Request{Path: "/environments/" + envID})
	if !errors.Is(err, refreshErr) {
		t.Fatalf("Do = %v, %v; want the refresh error", resp, err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d API requests, want 1: the refused token was sent again", n)
	}
}

func TestDoTokenError(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {})
	boom := errors.New("no token")
	_, err := srv.client(&fakeTokens{err: boom}).Do(context.Background(), api.Request{Path: "/x"})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if len(srv.requests()) != 0 {
		t.Error("a request was sent without a token")
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		base, path, want string
	}{
		{"https://api.pingone.com/v1", "/environments", "https://api.pingone.com/v1/environments"},
		{"https://api.pingone.com/v1/", "/environments", "https://api.pingone.com/v1/environments"},
		{"https://api.pingone.com/v1", "environments", "https://api.pingone.com/v1/environments"},
		{"https://api.pingone.com/v1", "https://api.pingone.com/v1/environments?cursor=abc", "https://api.pingone.com/v1/environments?cursor=abc"},
		{"https://api.pingone.com/v1", "http://127.0.0.1:1/x", "http://127.0.0.1:1/x"},
	}
	for _, tt := range tests {
		c := &api.Client{BaseURL: tt.base}
		if got := c.URL(tt.path); got != tt.want {
			t.Errorf("URL(%q) with base %q = %q, want %q", tt.path, tt.base, got, tt.want)
		}
	}
}

const environmentJSON = `{
  "_links" : {"self": {"href": "https://api.pingone.eu/v1/environments/` + envID + `"}, "organization": {"href": "https://api.pingone.eu/v1/organizations/o"}},
  "id": "` + envID + `",
  "name": "Staging – Ünïcode ✓",
  "description": "line1\nline2",
  "type": "SANDBOX",
  "region": "EU",
  "status": "ACTIVE",
  "subtype": "STAGING",
  "license": {"id": "11111111-2222-4333-8444-555555555555", "package": "ENTERPRISE"},
  "organization": {"id": "99999999-8888-4777-8666-555555555555"},
  "billOfMaterials": {"products": [{"id": "p", "type": "PING_ONE_BASE", "bookmarks": []}], "solutionType": "CUSTOMER"},
  "icon": "https://example.com/icon.png",
  "createdAt": "2024-01-02T03:04:05.678Z",
  "updatedAt": "2025-06-07T08:09:10.111Z",
  "futureField": {"nested": [1, 2.50, null, true]},
  "number": 1.0e2
}
`

func TestGetEnvironment(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, environmentJSON)
	})
	env, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), envID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(env.Raw, []byte(environmentJSON)) {
		t.Errorf("Raw is not byte-exact:\n got %q\nwant %q", env.Raw, environmentJSON)
	}
	if env.ID != envID || env.Name != "Staging – Ünïcode ✓" || env.Type != "SANDBOX" || env.Region != "EU" ||
		env.Status != "ACTIVE" || env.Subtype != "STAGING" || env.Icon != "https://example.com/icon.png" ||
		env.CreatedAt != "2024-01-02T03:04:05.678Z" || env.UpdatedAt != "2025-06-07T08:09:10.111Z" || env.Description != "line1\nline2" {
		t.Errorf("env = %+v", env)
	}
	if env.License == nil || env.License.Package != "ENTERPRISE" || env.Organization == nil || env.Organization.ID != "99999999-8888-4777-8666-555555555555" {
		t.Errorf("license %+v organization %+v", env.License, env.Organization)
	}
	if r := srv.requests()[0]; r.Path != "/v1/environments/"+envID || r.Method != "GET" {
		t.Errorf("request %+v", r)
	}
}

func TestGetEnvironmentEscapesID(t *testing.T) {
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
		w.WriteHeader(404)
		io.WriteString(w, `{"id":"c","code":"NOT_FOUND","message":"nope"}`)
	})
	_, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), "../organizations?x=1")
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 404 {
		t.Fatalf("err = %v", err)
	}
	if r := srv.requests()[0]; r.RawPath != "/v1/environments/..%2Forganizations%3Fx=1" {
		t.Errorf("path sent = %q", r.RawPath)
	}
}

func TestGetEnvironmentErrors(t *testing.T) {
	const corr = "5b3a1c2d-0000-4000-8000-123456789abc"
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		want      api.Error // Method and URL are checked separately
		wantInMsg []string
	}{
		{
			name: "400 invalid data", status: 400,
			body: `{"id":"` + corr + `","code":"INVALID_DATA","message":"The request could not be completed. One or more validation errors were in the request.","details":[{"code":"INVALID_VALUE","target":"id","message":"must be a UUID"}]}`,
			want: api.Error{Status: 400, Code: "INVALID_DATA", Message: "The request could not be completed. One or more validation errors were in the request.", CorrelationID: corr,
				Details: []api.ErrorDetail{{Code: "INVALID_VALUE", Target: "id", Message: "must be a UUID"}}},
			wantInMsg: []string{"HTTP 400 INVALID_DATA/INVALID_VALUE", "(must be a UUID)", "[correlation ID " + corr + "]"},
		},
		{
			name: "401 access failed", status: 401,
			body: `{"id":"` + corr + `","code":"ACCESS_FAILED","message":"The request could not be completed. You do not have access to this resource.","details":[{"code":"INVALID_TOKEN","message":"The access token is expired"}]}`,
			// Do retried with a new token, refused too.
			want: api.Error{Status: 401, Code: "ACCESS_FAILED", Message: "The request could not be completed. You do not have access to this resource.", CorrelationID: corr,
				Details: []api.ErrorDetail{{Code: "INVALID_TOKEN", Message: "The access token is expired"}}, NewToken: true},
			wantInMsg: []string{"HTTP 401 ACCESS_FAILED/INVALID_TOKEN"},
		},
		{
			name: "403 insufficient permissions", status: 403,
			body: `{"id":"` + corr + `","code":"ACCESS_FAILED","message":"The request could not be completed. You do not have access to this resource.","details":[{"code":"INSUFFICIENT_PERMISSIONS","message":"Actor does not have permissions to access this resource"}]}`,
			want: api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "The request could not be completed. You do not have access to this resource.", CorrelationID: corr,
				Details: []api.ErrorDetail{{Code: "INSUFFICIENT_PERMISSIONS", Message: "Actor does not have permissions to access this resource"}}},
			wantInMsg: []string{"HTTP 403 ACCESS_FAILED/INSUFFICIENT_PERMISSIONS"},
		},
		{
			name: "404 not found", status: 404,
			body:      `{"id":"` + corr + `","code":"NOT_FOUND","message":"Unable to find environment with ID: '` + envID + `'"}`,
			want:      api.Error{Status: 404, Code: "NOT_FOUND", Message: "Unable to find environment with ID: '" + envID + "'", CorrelationID: corr},
			wantInMsg: []string{"HTTP 404 NOT_FOUND: Unable to find environment"},
		},
		{
			name: "429 rate limited", status: 429, header: map[string]string{"Retry-After": "12"},
			body: `{"id":"` + corr + `","code":"REQUEST_LIMITED","message":"The request was rate limited.","details":[{"code":"LIMIT_EXCEEDED","message":"Too many requests","innerError":{"retryAfter":12}}]}`,
			want: api.Error{Status: 429, Code: "REQUEST_LIMITED", Message: "The request was rate limited.", CorrelationID: corr, RetryAfter: "12",
				Details: []api.ErrorDetail{{Code: "LIMIT_EXCEEDED", Message: "Too many requests", InnerError: map[string]any{"retryAfter": float64(12)}}}},
			wantInMsg: []string{"HTTP 429 REQUEST_LIMITED/LIMIT_EXCEEDED"},
		},
		{
			name: "500 unexpected", status: 500, header: map[string]string{"Correlation-Id": "from-header"},
			body:      `{"code":"UNEXPECTED_ERROR","message":"An unexpected error occurred."}`,
			want:      api.Error{Status: 500, Code: "UNEXPECTED_ERROR", Message: "An unexpected error occurred.", CorrelationID: "from-header"},
			wantInMsg: []string{"HTTP 500 UNEXPECTED_ERROR: An unexpected error occurred. [correlation ID from-header]"},
		},
		{
			name: "502 HTML page", status: 502, header: map[string]string{"Content-Type": "text/html"},
			body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\n\t<center><h1>502 Bad Gateway</h1></center>\n" + strings.Repeat("<!-- padding -->\n", 50) + "</body>\n</html>\n",
			want: api.Error{Status: 502, Snippet: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <!-- padding --> <!-…"},
		},
		{
			name: "503 empty body", status: 503, header: map[string]string{"Retry-After": "5"},
			want: api.Error{Status: 503, RetryAfter: "5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			env, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), envID)
			if err == nil {
				t.Fatalf("GetEnvironment succeeded: %+v", env)
			}
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %T %v, want *api.Error", err, err)
			}
			got := *apiErr
			if got.Method != "GET" || got.URL != srv.URL+"/v1/environments/"+envID {
				t.Errorf("Method %q URL %q", got.Method, got.URL)
			}
			got.Method, got.URL = "", ""
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tt.want) {
				t.Errorf("error =\n %#v\nwant\n %#v", got, tt.want)
			}
			wantDetail := ""
			if len(tt.want.Details) > 0 {
				wantDetail = tt.want.Details[0].Code
			}
			if apiErr.DetailCode() != wantDetail {
				t.Errorf("DetailCode() = %q, want %q", apiErr.DetailCode(), wantDetail)
			}
			msg := apiErr.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("Error() is not one line: %q", msg)
			}
			if !strings.HasPrefix(msg, fmt.Sprintf("HTTP %d", tt.status)) {
				t.Errorf("Error() = %q", msg)
			}
			for _, part := range tt.wantInMsg {
				if !strings.Contains(msg, part) {
					t.Errorf("Error() = %q lacks %q", msg, part)
				}
			}
			if apiErr.Snippet != "" {
				if n := utf8.RuneCountInString(apiErr.Snippet); n > 121 {
					t.Errorf("Snippet has %d characters", n)
				}
				if !strings.Contains(msg, "body starts: "+apiErr.Snippet) {
					t.Errorf("Error() = %q lacks the snippet", msg)
				}
			}
		})
	}
}

func TestGetEnvironmentShapeErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"truncated JSON", `{"id":"` + envID + `","name":"x`, "not valid JSON"},
		{"HTML with 200", "<html>hi</html>", "not valid JSON"},
		{"empty body", "", "not valid JSON"},
		{"wrong type", `{"id": 42}`, `field "id" has the wrong type`},
		{"array", `[{"id":"x"}]`, "wrong type"},
		{"no id", `{"name":"Staging","type":"SANDBOX"}`, `no "id" field`},
		{"null", `null`, `no "id" field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) { io.WriteString(w, tt.body) })
			_, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), envID)
			var shape *api.ShapeError
			if !errors.As(err, &shape) {
				t.Fatalf("err = %T %v, want *api.ShapeError", err, err)
			}
			if shape.Status != 200 || shape.URL != srv.URL+"/v1/environments/"+envID {
				t.Errorf("Status %d URL %q", shape.Status, shape.URL)
			}
			if shape.Snippet != api.Snippet(nil, []byte(tt.body)) {
				t.Errorf("Snippet = %q", shape.Snippet)
			}
			msg := shape.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "(HTTP 200)") || strings.Contains(msg, "\n") {
				t.Errorf("Error() = %q, want one line containing %q", msg, tt.want)
			}
			if shape.Unwrap() == nil {
				t.Error("Unwrap() = nil")
			}
		})
	}
}

func TestGetJSONReturnsRaw(t *testing.T) {
	const body = `{"_embedded":{"environments":[]},"count":0}`
	srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) { io.WriteString(w, body) })
	var v struct {
		Count int `json:"count"`
	}
	raw, err := srv.client(&fakeTokens{}).GetJSON(context.Background(), "/environments", &v)
	if err != nil || string(raw) != body {
		t.Fatalf("GetJSON = %q, %v", raw, err)
	}
}

func TestParseErrorWithoutRequest(t *testing.T) {
	resp := &api.Response{Response: &http.Response{StatusCode: 418, Header: http.Header{}}}
	e := api.ParseError(resp, []byte(`{"message":"short and stout"}`), nil)
	if e.Status != 418 || e.Message != "short and stout" || e.Method != "" || e.URL != "" {
		t.Errorf("ParseError = %+v", e)
	}
	if got := e.Error(); got != "HTTP 418: short and stout" {
		t.Errorf("Error() = %q", got)
	}
	// A JSON body that is not a PingOne error becomes a snippet.
	e = api.ParseError(resp, []byte(`{"error":"x"}`), nil)
	if e.Code != "" || e.Snippet != `{"error":"x"}` {
		t.Errorf("ParseError(non-PingOne JSON) = %+v", e)
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"plain", "hello", "hello"},
		{"collapses white space", "  hello \r\n\t world  \n", "hello world"},
		{"control characters", "a\x00b\x1b[31mc\x7f", "a b [31mc"},
		{"exactly at the limit", strings.Repeat("x", 120), strings.Repeat("x", 120)},
		{"over the limit", strings.Repeat("x", 121), strings.Repeat("x", 120) + "…"},
		{"far over the limit", strings.Repeat("y", 10000), strings.Repeat("y", 120) + "…"},
		{"multi-byte runes stay whole", strings.Repeat("é", 100), strings.Repeat("é", 60) + "…"},
		{"invalid UTF-8", "ok\xff\xfeok", "ok\ufffd\ufffdok"},
		{"unicode line separator", "a\u2028b\u0085c", "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := api.Snippet(nil, []byte(tt.in))
			if got != tt.want {
				t.Errorf("Snippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\t") {
				t.Errorf("Snippet(%q) = %q is not one clean line", tt.in, got)
			}
		})
	}
}
