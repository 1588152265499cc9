package apicmd

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

const testEnvID = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"

// apiServer answers the test requests and records the last one.
type apiServer struct {
	*httptest.Server
	mu   sync.Mutex
	last struct {
		method, path, query, contentType, auth, accept, custom string
		body                                                   []byte
	}
	pages int
}

func newAPIServer(t *testing.T) *apiServer {
	t.Helper()
	s := &apiServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

const envBody = `{"id":"` + testEnvID + `","name":"Demo","big":12345678901234567890,"tags":["a","b"]}`

func (s *apiServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.last.method, s.last.path, s.last.query = r.Method, r.URL.Path, r.URL.RawQuery
	s.last.contentType, s.last.auth, s.last.accept = r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.Header.Get("Accept")
	s.last.custom, s.last.body = r.Header.Get("X-Custom"), body
	s.mu.Unlock()
	w.Header().Set("Correlation-Id", "corr-1")
	pingError := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"id":"corr-1","code":%q,"message":%q}`, code, msg)
	}
	switch {
	case r.URL.Path == "/v1/environments/"+testEnvID && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("Set-Cookie", "session=secret-cookie; HttpOnly")
		w.Header().Add("Set-Cookie", "other=x")
		fmt.Fprint(w, envBody)
	case r.URL.Path == "/v1/text":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "plain text, no newline")
	case r.URL.Path == "/v1/empty":
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/v1/echo":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	case r.URL.Path == "/v1/things":
		s.mu.Lock()
		s.pages++
		s.mu.Unlock()
		cursor, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		if r.URL.Query().Get("fail") == strconv.Itoa(cursor) {
			pingError(http.StatusServiceUnavailable, "UNAVAILABLE", "try later")
			return
		}
		next := ""
		if cursor < 2 {
			q := r.URL.Query()
			q.Set("cursor", strconv.Itoa(cursor+1))
			next = fmt.Sprintf(`,"next":{"href":"%s/v1/things?%s"}`, s.URL, q.Encode())
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"_links":{"self":{"href":"x"}%s},"_embedded":{"things":[{"n": %d}, {"n": %d}]%s},"count":6,"size":2}`,
			next, 2*cursor, 2*cursor+1, map[bool]string{true: `,"extra":{"only":"first page"}`}[cursor == 0])
	case r.URL.Path == "/v1/environments/"+testEnvID+"/users" || r.URL.Path == "/v1/users":
		pingError(http.StatusForbidden, "ACCESS_FAILED", "no access")
	case r.URL.Path == "/v1/loop":
		// A next link back to the same cursor: the paging loops.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"_links":{"next":{"href":"%s/v1/loop?cursor=same"}},"_embedded":{"things":[{"n":1}]}}`, s.URL)
	case r.URL.Path == "/v1/endless":
		// 500 items a page with a fresh cursor each time, stopping after
		// ?stop= pages if given.
		s.mu.Lock()
		s.pages++
		s.mu.Unlock()
		cursor, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		items := make([]string, 500)
		for i := range items {
			items[i] = fmt.Sprintf(`{"n":%d}`, cursor*500+i)
		}
		next := ""
		if stop := r.URL.Query().Get("stop"); stop == "" || strconv.Itoa(cursor+1) != stop {
			q := r.URL.Query()
			q.Set("cursor", strconv.Itoa(cursor+1))
			next = fmt.Sprintf(`"next":{"href":"%s/v1/endless?%s"}`, s.URL, q.Encode())
		}
		fmt.Fprintf(w, `{"_links":{%s},"_embedded":{"things":[%s]},"size":500}`, next, strings.Join(items, ","))
	case r.URL.Path == "/v1/oversize":
		fmt.Fprint(w, `{"_embedded":{"things":[{"n":1},{"n":2}]},"size":1}`)
	case r.URL.Path == "/v1/elsewhere":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"_links":{"next":{"href":"https://evil.example.com/v1/elsewhere?cursor=2"}},"_embedded":{"things":[{"n":1}]}}`)
	case r.URL.Path == "/v1/bare-error":
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"code":"INVALID_DATA"}`)
	case r.URL.Path == "/v1/unauthorized":
		pingError(http.StatusUnauthorized, "ACCESS_FAILED", "bad token")
	case r.URL.Path == "/v1/broken":
		pingError(http.StatusInternalServerError, "UNEXPECTED_ERROR", "oops")
	case r.Method != http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/environments"):
		w.Header().Set("Allow", "GET")
		pingError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "no writes")
	default:
		pingError(http.StatusNotFound, "NOT_FOUND", "The requested resource was not found.")
	}
}

// result is what one run of `p1ctl api` produced.
type result struct {
	stdout, stderr string
	code           int
	msg            string
}

// runAPI runs `api` with args against srv.
func runAPI(t *testing.T, srv *apiServer, tty bool, stdin string, args ...string) result {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	ios.SetTTY(false, tty)
	in.WriteString(stdin)
	base := srv.URL + "/v1"
	f := &cmdutil.Factory{
		IOStreams: ios,
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: "c", ClientSecret: "s", EnvironmentID: testEnvID, TokenURL: srv.URL + "/as/token", APIURL: base}, nil
		},
		APIClient: func() (*api.Client, error) {
			return &api.Client{BaseURL: base, HTTP: srv.Client(), Tokens: testutil.StaticToken("tok")}, nil
		},
	}
	cmd := NewCmdAPI(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	err := cmd.ExecuteContext(t.Context())
	r := result{stdout: out.String(), stderr: errOut.String()}
	if err != nil {
		p := cmdutil.Describe(err)
		r.code, r.msg = p.Code, p.String()
	}
	return r
}

func TestAPIGet(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		name string
		tty  bool
		args []string
		want string
	}{
		{"path", false, []string{"/environments/" + testEnvID}, envBody},
		{"no leading slash", false, []string{"environments/" + testEnvID}, envBody},
		{"absolute URL", false, []string{srv.URL + "/v1/environments/" + testEnvID}, envBody},
		{"terminal: indented", true, []string{"/environments/" + testEnvID}, "{\n  \"id\": \"" + testEnvID + "\",\n  \"name\": \"Demo\",\n  \"big\": 12345678901234567890,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ]\n}\n"},
		{"not JSON: as received", true, []string{"/text"}, "plain text, no newline"},
		{"no body", true, []string{"/empty"}, ""},
		{"silent", false, []string{"--silent", "/environments/" + testEnvID}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runAPI(t, srv, tt.tty, "", tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.msg)
			}
			if r.stdout != tt.want {
				t.Errorf("stdout\n%q\nwant\n%q", r.stdout, tt.want)
			}
			if srv.last.auth != "Bearer tok" || srv.last.method != http.MethodGet || srv.last.accept != "application/json" {
				t.Errorf("request %+v", srv.last)
			}
		})
	}
}

func TestAPIInclude(t *testing.T) {
	srv := newAPIServer(t)
	r := runAPI(t, srv, false, "", "-i", "/environments/"+testEnvID)
	head, body, ok := strings.Cut(r.stdout, "\n\n")
	if !ok || body != envBody {
		t.Fatalf("stdout %q: want headers, a blank line and the body", r.stdout)
	}
	lines := strings.Split(head, "\n")
	if lines[0] != "HTTP/1.1 200 OK" {
		t.Errorf("status line %q", lines[0])
	}
	if !sort.StringsAreSorted(lines[1:]) {
		t.Errorf("headers not sorted: %q", lines[1:])
	}
	for _, want := range []string{"Content-Type: application/json", "Correlation-Id: corr-1", "Set-Cookie: [REDACTED]"} {
		if !strings.Contains(head, want+"\n") && !strings.HasSuffix(head, want) {
			t.Errorf("headers lack %q:\n%s", want, head)
		}
	}
	if strings.Contains(r.stdout, "secret-cookie") {
		t.Error("Set-Cookie value printed")
	}
	if strings.Count(head, "Set-Cookie:") != 2 {
		t.Errorf("want both Set-Cookie headers, masked:\n%s", head)
	}

	r = runAPI(t, srv, false, "", "-i", "--silent", "/environments/"+testEnvID)
	if !strings.HasPrefix(r.stdout, "HTTP/1.1 200 OK\n") || !strings.HasSuffix(r.stdout, "\n\n") {
		t.Errorf("-i --silent: stdout %q, want the headers only", r.stdout)
	}
}

func TestAPIJQ(t *testing.T) {
	srv := newAPIServer(t)
	env := "/environments/" + testEnvID
	tests := []struct {
		expr string
		path string
		want string
		code int
		msg  string
	}{
		{".name", env, "Demo\n", 0, ""},
		{".big", env, "12345678901234567890\n", 0, ""},
		{".tags[]", env, "a\nb\n", 0, ""},
		{"{name, n: .tags | length}", env, `{"n":2,"name":"Demo"}` + "\n", 0, ""},
		{".tags", env, `["a","b"]` + "\n", 0, ""},
		{".missing", env, "null\n", 0, ""},
		{"empty", env, "", 0, ""},
		{".[", env, "", cmdutil.ExitUsage, `--jq ".["`},
		{"nosuchfunction(1)", env, "", cmdutil.ExitUsage, "function not defined: nosuchfunction/1"},
		{".name, error(\"boom\")", env, "Demo\n", cmdutil.ExitError, "--jq: error: boom"},
		{".", "/text", "", cmdutil.ExitNetwork, "cannot apply --jq: the answer is not valid JSON"},
		{".", "/empty", "", 0, ""},
	}
	for _, tt := range tests {
		r := runAPI(t, srv, false, "", "--jq", tt.expr, tt.path)
		// A success prints no message; a failure's names the expression's fault.
		if r.stdout != tt.want || r.code != tt.code || tt.msg == "" && r.msg != "" || !strings.Contains(r.msg, tt.msg) {
			t.Errorf("--jq %q %s: stdout %q, exit %d %q\nwant %q, exit %d %q", tt.expr, tt.path, r.stdout, r.code, r.msg, tt.want, tt.code, tt.msg)
		}
	}
	if r := runAPI(t, srv, false, "", "--jq", ".", "--silent", env); r.code != cmdutil.ExitUsage {
		t.Errorf("--jq with --silent: exit %d, want 2", r.code)
	}
}

func TestAPIRequests(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "desc.txt")
	if err := os.WriteFile(file, []byte("from a file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	body := filepath.Join(dir, "body.json")
	if err := os.WriteFile(body, []byte(`{"raw": [1, 2]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		stdin       string
		args        []string
		method      string
		query       string
		contentType string
		body        string
	}{
		{"fields make a POST with a JSON body", "", []string{"/echo", "-f", "name=Ada", "-F", "enabled=true", "-F", "n=42", "-F", "none=null", "-f", "raw=true", "-F", "word=hello"},
			"POST", "", "application/json", `{"enabled":true,"n":42,"name":"Ada","none":null,"raw":"true","word":"hello"}`},
		{"nested keys", "", []string{"/echo", "-X", "put", "-f", "name[given]=Ada", "-f", "name[family]=Lovelace", "-F", "tags[]=1", "-f", "tags[]=b", "-f", "items[][k]=1", "-f", "items[][v]=x", "-f", "items[][k]=2"},
			"PUT", "", "application/json", `{"items":[{"k":"1","v":"x"},{"k":"2"}],"name":{"family":"Lovelace","given":"Ada"},"tags":[1,"b"]}`},
		{"@file and @-", "from stdin", []string{"/echo", "-F", "desc=@" + file, "-F", "in=@-"},
			"POST", "", "application/json", `{"desc":"from a file\n","in":"from stdin"}`},
		{"GET fields become the query", "", []string{"/echo?limit=1", "-X", "GET", "-f", `filter=name sw "D"`, "-F", "n=2"},
			"GET", "limit=1&filter=name%20sw%20%22D%22&n=2", "", ""},
		{"query in the path is escaped", "", []string{`/echo?filter=name sw "Dev"`},
			"GET", "filter=name%20sw%20%22Dev%22", "", ""},
		{"a plus in the path's query stays a plus", "", []string{`/echo?filter=email eq "john+test@example.com"`},
			"GET", "filter=email%20eq%20%22john%2Btest%40example.com%22", "", ""},
		{"percent and semicolon in the path's query", "", []string{`/echo?filter=name sw "100%" and x eq "a;b"`},
			"GET", "filter=name%20sw%20%22100%25%22%20and%20x%20eq%20%22a%3Bb%22", "", ""},
		{"--input file", "", []string{"/echo", "--input", body},
			"POST", "", "application/json", `{"raw": [1, 2]}`},
		{"--input - with fields in the query", `{"a":1}`, []string{"/echo", "-X", "PATCH", "--input", "-", "-f", "x=y", "-H", "Content-Type: application/merge-patch+json"},
			"PATCH", "x=y", "application/merge-patch+json", `{"a":1}`},
		{"header", "", []string{"/echo", "-H", "X-Custom: value: with colon", "-X", "DELETE"},
			"DELETE", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAPIServer(t)
			r := runAPI(t, srv, false, tt.stdin, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.msg)
			}
			l := srv.last
			if l.method != tt.method || l.query != tt.query || l.contentType != tt.contentType || string(l.body) != tt.body {
				t.Errorf("request %s ?%s [%s] %s\nwant    %s ?%s [%s] %s", l.method, l.query, l.contentType, l.body, tt.method, tt.query, tt.contentType, tt.body)
			}
			if tt.name == "header" && l.custom != "value: with colon" {
				t.Errorf("X-Custom = %q", l.custom)
			}
		})
	}
}

func TestAPIErrorAnswers(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		args []string
		code int
		msg  []string // the request, the status and code, the server's reason
	}{
		{[]string{"/nothing"}, cmdutil.ExitNotFound, []string{"GET /nothing", "HTTP 404 NOT_FOUND", "[correlation ID corr-1]"}},
		{[]string{"/environments/" + testEnvID + "/users"}, cmdutil.ExitForbidden, []string{"GET /environments/" + testEnvID + "/users", "HTTP 403 ACCESS_FAILED", "no access"}},
		{[]string{"-X", "POST", "/environments", "-F", "name=x"}, cmdutil.ExitError, []string{"POST /environments", "HTTP 405 METHOD_NOT_ALLOWED", "no writes"}},
		{[]string{"/unauthorized"}, cmdutil.ExitAuth, []string{"GET /unauthorized", "HTTP 401"}},
		{[]string{"/broken"}, cmdutil.ExitNetwork, []string{"GET /broken", "HTTP 500 UNEXPECTED_ERROR", "oops"}},
	}
	for _, tt := range tests {
		r := runAPI(t, srv, false, "", tt.args...)
		if r.code != tt.code {
			t.Errorf("%q: exit %d %q, want exit %d", tt.args, r.code, r.msg, tt.code)
		}
		for _, w := range tt.msg {
			if !strings.Contains(r.msg, w) {
				t.Errorf("%q: message %q does not name %q", tt.args, r.msg, w)
			}
		}
		if !strings.HasPrefix(r.stdout, `{"id":"corr-1"`) {
			t.Errorf("%q: stdout %q, want the error body", tt.args, r.stdout)
		}
		// --silent prints no body, and --jq does not filter error bodies.
		if r := runAPI(t, srv, false, "", append(tt.args, "--silent")...); r.stdout != "" || r.code != tt.code {
			t.Errorf("%q --silent: stdout %q exit %d", tt.args, r.stdout, r.code)
		}
		if r := runAPI(t, srv, false, "", append(tt.args, "--jq", ".code")...); !strings.HasPrefix(r.stdout, `{"id":"corr-1"`) {
			t.Errorf("%q --jq: stdout %q, want the error body as received", tt.args, r.stdout)
		}
	}
}

func TestAPIPaginate(t *testing.T) {
	srv := newAPIServer(t)
	want := `{"_embedded":{"things":[{"n":0},{"n":1},{"n":2},{"n":3},{"n":4},{"n":5}],"extra":[{"only":"first page"}]},"count":7}` + "\n"
	r := runAPI(t, srv, false, "", "--paginate", "/things")
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d %s\nstdout %s\nwant   %s", r.code, r.msg, r.stdout, want)
	}
	if srv.pages != 3 {
		t.Errorf("%d pages fetched, want 3", srv.pages)
	}

	r = runAPI(t, srv, false, "", "--paginate", "/things", "--jq", "._embedded.things | map(.n) | add")
	if r.stdout != "15\n" {
		t.Errorf("--jq over the merged document: %q", r.stdout)
	}

	r = runAPI(t, srv, true, "", "--paginate", "/things?limit=2")
	var doc struct {
		Embedded map[string][]json.RawMessage `json:"_embedded"`
		Count    int                          `json:"count"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Count != 7 || !strings.HasPrefix(r.stdout, "{\n  \"_embedded\": {\n") {
		t.Errorf("terminal: %v, %q", err, r.stdout)
	}

	r = runAPI(t, srv, false, "", "--paginate", "-i", "/things")
	if n := strings.Count(r.stdout, "HTTP/1.1 200 OK\n"); n != 3 || !strings.HasSuffix(r.stdout, "\n\n"+want) {
		t.Errorf("-i: %d status lines, stdout %q", n, r.stdout)
	}

	// Not a collection: printed as received.
	r = runAPI(t, srv, false, "", "--paginate", "/environments/"+testEnvID)
	if r.stdout != envBody {
		t.Errorf("not a collection: %q", r.stdout)
	}

	// A failing page: the pages before it were printed as they came, the
	// unfinished document's line is ended, the error body follows on a
	// line of its own, and the exit status is the error's.
	r = runAPI(t, srv, false, "", "--paginate", "/things?fail=1")
	if r.code != cmdutil.ExitNetwork || r.stdout != `{"_embedded":{"things":[{"n":0},{"n":1}`+"\n"+`{"id":"corr-1","code":"UNAVAILABLE","message":"try later"}`+"\n" {
		t.Errorf("failing page: exit %d %q, stdout %q", r.code, r.msg, r.stdout)
	}
	// With --jq the document is built first: nothing of it is printed.
	r = runAPI(t, srv, false, "", "--paginate", "/things?fail=1", "--jq", ".count")
	if r.code != cmdutil.ExitNetwork || r.stdout != `{"id":"corr-1","code":"UNAVAILABLE","message":"try later"}`+"\n" {
		t.Errorf("failing page with --jq: exit %d %q, stdout %q", r.code, r.msg, r.stdout)
	}

	if r := runAPI(t, srv, false, "", "--paginate", "-X", "POST", "/things"); r.code != cmdutil.ExitUsage || !strings.Contains(r.msg, "--paginate works only with GET, not POST") {
		t.Errorf("--paginate POST: exit %d %q", r.code, r.msg)
	}
	// Fields make the default method POST, as in gh: say so, and how to
	// send them as query parameters instead.
	if r := runAPI(t, srv, false, "", "--paginate", "-f", "a=b", "/things"); r.code != cmdutil.ExitUsage ||
		!strings.Contains(r.msg, "--paginate") || !strings.Contains(r.msg, "POST") || !strings.Contains(r.msg, "-X GET") {
		t.Errorf("--paginate with fields (POST): exit %d %q", r.code, r.msg)
	}
	if r := runAPI(t, srv, false, "{}", "--paginate", "--input", "-", "/things"); r.code != cmdutil.ExitUsage ||
		!strings.Contains(r.msg, "--paginate") || !strings.Contains(r.msg, "--input") || !strings.Contains(r.msg, "--help") {
		t.Errorf("--paginate with --input (POST): exit %d %q", r.code, r.msg)
	}
	if r := runAPI(t, srv, false, "", "--paginate", "-X", "GET", "-f", "limit=2", "/things"); r.code != 0 || srv.last.query != "cursor=2&limit=2" {
		t.Errorf("--paginate -X GET with fields: exit %d %q, last query %q", r.code, r.msg, srv.last.query)
	}
}

// TestAPIPaginateRefusedLinks checks that a next link the pager refuses
// exits 6, like any answer PingOne would not send, with a hint that fits:
// another host points at --api-url, a repeated cursor at the server's
// paging.
func TestAPIPaginateRefusedLinks(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		path       string
		want       []string
		notWant    string
		wantStdout string
	}{
		// The loop shows on the second page: the first was printed as it
		// came, and the unfinished document's line is ended.
		{"/loop", []string{"repeats a page already fetched (cursor same)", "the server's paging loops: try again later"}, "--api-url", `{"_embedded":{"things":[{"n":1}` + "\n"},
		// The first page's link is refused before anything is printed.
		{"/elsewhere", []string{"points at https://evil.example.com", "check --api-url points at PingOne's management API"}, "try again later", ""},
	}
	for _, tt := range tests {
		r := runAPI(t, srv, false, "", "--paginate", tt.path)
		if r.code != cmdutil.ExitNetwork {
			t.Errorf("%s: exit %d %q, want %d", tt.path, r.code, r.msg, cmdutil.ExitNetwork)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.msg, w) {
				t.Errorf("%s: message %q lacks %q", tt.path, r.msg, w)
			}
		}
		if strings.Contains(r.msg, tt.notWant) {
			t.Errorf("%s: message %q should not contain %q", tt.path, r.msg, tt.notWant)
		}
		if r.stdout != tt.wantStdout {
			t.Errorf("%s: stdout %q, want %q", tt.path, r.stdout, tt.wantStdout)
		}
	}
}

// TestAPIPaginateBounds checks the pager's caps: a document built in
// memory (--jq, -i) stops at 100,000 items or maxBufferedBytes, a
// streamed one only at the page cap, and any page over its own size stops
// both, with exit 6.
func TestAPIPaginateBounds(t *testing.T) {
	srv := newAPIServer(t)
	pages := func() int {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		n := srv.pages
		srv.pages = 0
		return n
	}

	// 250 pages of 500: more than the item cap.
	r := runAPI(t, srv, false, "", "--paginate", "/endless?stop=250", "--jq", ".count")
	if r.code != cmdutil.ExitNetwork || !strings.Contains(r.msg, "after 100000 items") || pages() != 200 {
		t.Errorf("--jq past the item cap: exit %d %q", r.code, r.msg)
	}
	r = runAPI(t, srv, false, "", "--paginate", "/endless?stop=250")
	if r.code != 0 || !strings.HasSuffix(r.stdout, `"count":125000}`+"\n") || pages() != 250 {
		t.Errorf("streamed past the item cap: exit %d %q, stdout ends %q", r.code, r.msg, r.stdout[max(len(r.stdout)-30, 0):])
	}

	defer func(n int64) { maxBufferedBytes = n }(maxBufferedBytes)
	maxBufferedBytes = 10000
	r = runAPI(t, srv, false, "", "--paginate", "-i", "/endless?stop=10")
	if r.code != cmdutil.ExitNetwork || !strings.Contains(r.msg, "more than 10000 bytes") || pages() != 2 {
		t.Errorf("-i past the byte cap: exit %d %q", r.code, r.msg)
	}

	for _, args := range [][]string{{"/oversize"}, {"/oversize", "--jq", "."}} {
		r = runAPI(t, srv, false, "", append([]string{"--paginate"}, args...)...)
		if r.code != cmdutil.ExitNetwork || !strings.Contains(r.msg, "carries 2 items but its size says 1") {
			t.Errorf("%v: exit %d %q", args, r.code, r.msg)
		}
	}
}

// TestAPIErrorTarget checks what error messages name: the environment in
// the path, else the configured one, and a role hint that fits the path.
func TestAPIErrorTarget(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"a path without an environment names the configured one", []string{"/users"},
			[]string{"GET /users: insufficient privileges", "allow this request on environment " + testEnvID},
			[]string{"(none configured)", "Configuration Read Only", "GET /users " + testEnvID}},
		{"a resource under an environment: a general role hint", []string{"/environments/" + testEnvID + "/users"},
			[]string{"GET /environments/" + testEnvID + "/users: insufficient privileges", "allow this request on environment " + testEnvID},
			[]string{"Configuration Read Only", "users " + testEnvID}},
		{"404 names the configured environment", []string{"/nothing"},
			[]string{"has a role on environment " + testEnvID},
			[]string{"(none configured)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runAPI(t, srv, false, "", tt.args...)
			for _, w := range tt.want {
				if !strings.Contains(r.msg, w) {
					t.Errorf("message %q lacks %q", r.msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.msg, w) {
					t.Errorf("message %q should not contain %q", r.msg, w)
				}
			}
		})
	}
}

// TestAPIErrorBodyEndsWithNewline checks that an error body without a
// final newline gets one, so the error line on standard error does not run
// into it, while a successful body stays byte for byte as received.
func TestAPIErrorBodyEndsWithNewline(t *testing.T) {
	srv := newAPIServer(t)
	r := runAPI(t, srv, false, "", "/bare-error")
	if r.code != cmdutil.ExitError || r.stdout != `{"code":"INVALID_DATA"}`+"\n" {
		t.Errorf("error body: exit %d %q, stdout %q", r.code, r.msg, r.stdout)
	}
	r = runAPI(t, srv, false, "", "/nothing")
	if r.stdout != `{"id":"corr-1","code":"NOT_FOUND","message":"The requested resource was not found."}`+"\n" {
		t.Errorf("404 body: stdout %q", r.stdout)
	}
	r = runAPI(t, srv, false, "", "/text")
	if r.code != 0 || r.stdout != "plain text, no newline" {
		t.Errorf("successful body: exit %d, stdout %q, want it as received", r.code, r.stdout)
	}
}

func TestAPIUsageErrors(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{}, "expected one PATH or URL, got 0 arguments"},
		{[]string{"/a", "/b"}, "expected one PATH or URL, got 2 arguments"},
		{[]string{"/environments/../users"}, `path "/environments/../users" contains ".."`},
		{[]string{"http://example.com/v1/x"}, "HTTPS is required"},
		{[]string{"https://user:pw@api.pingone.com/v1/x"}, "must not contain a user name or password"},
		{[]string{"/a", "-X", "GE T"}, `--method "GE T" is not an HTTP method`},
		{[]string{"/a", "-H", "NoColon"}, `--header "NoColon" is not of the form 'Name: value'`},
		{[]string{"/a", "-H", "Authorization: Bearer x"}, "p1ctl sends the access token itself"},
		{[]string{"/a", "-f", "novalue"}, `--raw-field "novalue" is not of the form key=value`},
		{[]string{"/a", "-F", "a[b=1"}, "brackets do not match"},
		{[]string{"/a", "-F", "x=@/nonexistent/file"}, "--field x: open /nonexistent/file"},
		{[]string{"/a", "--input", "/nonexistent/file"}, "--input: open /nonexistent/file"},
		{[]string{"/a", "--input", "-", "-F", "x=@-"}, "--field x and --input - both read standard input"},
		{[]string{"/a", "-f", "a=1", "-f", "a[b]=2"}, `"a" is given both as a value and with nested keys`},
		{[]string{"/a", "--nosuchflag"}, "unknown flag: --nosuchflag"},
	}
	for _, tt := range tests {
		r := runAPI(t, srv, false, "", tt.args...)
		if r.code != cmdutil.ExitUsage || !strings.Contains(r.msg, tt.msg) {
			t.Errorf("%q: exit %d %q\nwant exit 2 with %q", tt.args, r.code, r.msg, tt.msg)
		}
	}
	if srv.last.method != "" {
		t.Errorf("a usage error sent a request: %+v", srv.last)
	}
}

func TestNewCmdAPIHelp(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdAPI(&cmdutil.Factory{IOStreams: ios}, nil)
	if cmd.Short == "" || cmd.Example == "" || !strings.Contains(cmd.Long, `{"_embedded": {"<name>": [<items of every page>]}, "count": <number of items>}`) {
		t.Error("api needs Short, Example, and the --paginate output shape in Long")
	}
	var got *APIOptions
	cmd = NewCmdAPI(&cmdutil.Factory{IOStreams: ios}, func(o *APIOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-X", "POST", "-H", "A: 1", "-H", "B: 2", "-f", "a=1", "-F", "b=2", "--input", "x", "-i", "--paginate", "--jq", ".", "--silent", "/p"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Target != "/p" || got.Method != "POST" || len(got.Headers) != 2 || got.Fields[0] != (FieldFlag{false, "a=1"}) || got.Fields[1] != (FieldFlag{true, "b=2"}) ||
		got.Input != "x" || !got.Include || !got.Paginate || got.Output.JQ != "." || !got.Silent {
		t.Errorf("options %+v", got)
	}
}

func TestPrinterBodyOnTerminalKeepsInvalidJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(false, true)
	p := &printer{io: ios}
	if err := p.body([]byte(`{"a":`)); err != nil || out.String() != `{"a":` {
		t.Errorf("body %q, %v", out.String(), err)
	}
	out.Reset()
	if err := p.body([]byte("[1,2]\n")); err != nil || out.String() != "[\n  1,\n  2\n]\n" {
		t.Errorf("body %q, %v", out.String(), err)
	}
}

func TestAPINDJSON(t *testing.T) {
	srv := newAPIServer(t)
	tests := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"-o", "ndjson"}, `{"n":0}` + "\n" + `{"n":1}` + "\n" + `{"only":"first page"}` + "\n" + `{"n":2}` + "\n" + `{"n":3}` + "\n" + `{"n":4}` + "\n" + `{"n":5}` + "\n", 0},
		{[]string{"-o", "ndjson", "--jq", "select(.n != null) | .n"}, "0\n1\n2\n3\n4\n5\n", 0},
		{[]string{"-o", "ndjson", "--template", "{{with .n}}{{tablerow \"n\" .}}{{end}}"}, "n  0\nn  1\nn  2\nn  3\nn  4\nn  5\n", 0},
		{[]string{"--template", "{{.count}}"}, "7", 0},
	}
	for _, tt := range tests {
		r := runAPI(t, srv, false, "", append([]string{"--paginate", "/things"}, tt.args...)...)
		if r.code != tt.code || r.stdout != tt.want {
			t.Errorf("%q: exit %d %q, stdout %q, want %q", tt.args, r.code, r.msg, r.stdout, tt.want)
		}
	}
	// A failing page: the items before it stay printed, then the error
	// body, and the exit status is the error's.
	r := runAPI(t, srv, false, "", "--paginate", "-o", "ndjson", "/things?fail=1")
	if r.code != cmdutil.ExitNetwork || r.stdout != `{"n":0}`+"\n"+`{"n":1}`+"\n"+`{"only":"first page"}`+"\n"+`{"id":"corr-1","code":"UNAVAILABLE","message":"try later"}`+"\n" {
		t.Errorf("failing page: exit %d %q, stdout %q", r.code, r.msg, r.stdout)
	}
	if r := runAPI(t, srv, false, "", "-o", "ndjson", "/things"); r.code != cmdutil.ExitUsage || !strings.Contains(r.msg, "--paginate") {
		t.Errorf("ndjson without --paginate: exit %d %q", r.code, r.msg)
	}
	if r := runAPI(t, srv, false, "", "--template", "{{.name}}", "/environments/"+testEnvID); r.code != 0 || r.stdout != "Demo" {
		t.Errorf("--template: exit %d %q, stdout %q", r.code, r.msg, r.stdout)
	}
	if r := runAPI(t, srv, false, "", "--jq", ".", "--template", "x", "/things"); r.code != cmdutil.ExitUsage || !strings.Contains(r.msg, "--template") {
		t.Errorf("--jq with --template: exit %d %q", r.code, r.msg)
	}
}

// TestAPINDJSONStreams checks that -o ndjson writes a page's items before
// the next page is even answered.
func TestAPINDJSONStreams(t *testing.T) {
	release := make(chan struct{})
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "1" {
			<-release
			fmt.Fprint(w, `{"_embedded":{"things":[{"n":"last"}]}}`)
			return
		}
		fmt.Fprintf(w, `{"_links":{"next":{"href":"%s/v1/things?cursor=1"}},"_embedded":{"things":[{"n":"first"}]}}`, srvURL)
	}))
	srvURL = srv.URL
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	ios, _, _, _ := iostreams.Test()
	var out testutil.SyncBuffer
	ios.Out = &out
	f := &cmdutil.Factory{
		IOStreams: ios,
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: "c", ClientSecret: "s", EnvironmentID: testEnvID, TokenURL: srv.URL + "/as/token", APIURL: srv.URL + "/v1"}, nil
		},
		APIClient: func() (*api.Client, error) {
			return &api.Client{BaseURL: srv.URL + "/v1", HTTP: srv.Client(), Tokens: testutil.StaticToken("tok")}, nil
		},
	}
	cmd := NewCmdAPI(f, nil)
	cmd.SetArgs([]string{"--paginate", "-o", "ndjson", "/things"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(t.Context()) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "first") {
		if time.Now().After(deadline) {
			t.Fatalf("the first page's items were not written while the second page was pending; output %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if want := `{"n":"first"}` + "\n" + `{"n":"last"}` + "\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}
