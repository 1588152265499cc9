package envcmd

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// listEnvs are three environments as a PingOne page would carry them,
// with an unknown field and a non-ASCII name.
var listEnvs = []string{
	`{"id":"11111111-1111-4111-8111-111111111111","name":"Administrators","type":"PRODUCTION","region":"NA","status":"ACTIVE","_links":{"self":{"href":"x"}}}`,
	`{"id":"22222222-2222-4222-8222-222222222222","name":"Développement – Zürich","type":"SANDBOX","region":"EU","status":"ACTIVE","license":{"id":"l","package":"TRIAL"}}`,
	`{"id":"33333333-3333-4333-8333-333333333333","name":"Labs","type":"SANDBOX","region":"CA","newField":[1,{"a":null}]}`,
}

// listServer serves listEnvs as GET /v1/environments, limit per page,
// recording each request's query.
type listServer struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
	// page, if set, replaces the answer for a given cursor.
	page func(w http.ResponseWriter, cursor int) bool
}

func newListServer(t *testing.T) *listServer {
	t.Helper()
	s := &listServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *listServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/environments" || r.Header.Get("Authorization") != "Bearer tok" {
		http.Error(w, "unexpected request", http.StatusTeapot)
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.mu.Unlock()
	limit, _ := strconv.Atoi(q.Get("limit"))
	start, _ := strconv.Atoi(q.Get("cursor"))
	if s.page != nil && s.page(w, start) {
		return
	}
	end := min(start+limit, len(listEnvs))
	links := `{"self":{"href":"self"}}`
	if end < len(listEnvs) {
		next := url.Values{"limit": {q.Get("limit")}, "cursor": {strconv.Itoa(end)}}
		if q.Has("filter") {
			next.Set("filter", q.Get("filter"))
		}
		links = fmt.Sprintf(`{"self":{"href":"self"},"next":{"href":"%s/v1/environments?%s"}}`, s.URL, next.Encode())
	}
	fmt.Fprintf(w, `{"_links":%s,"_embedded":{"environments":[%s]},"count":%d,"size":%d}`,
		links, strings.Join(listEnvs[start:end], ","), len(listEnvs), end-start)
}

func (s *listServer) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.queries...)
}

// listOptions returns options wired to a server at base.
func listOptions(base string, hc *http.Client, out io.Writer) *ListOptions {
	ios, _, _, _ := iostreams.Test()
	ios.Out = out
	return &ListOptions{
		IO: ios,
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: "c", ClientSecret: "s", EnvironmentID: emulator.DemoEnvironmentID, TokenURL: base + "/as/token", APIURL: base + "/v1"}, nil
		},
		APIClient: func() (*api.Client, error) {
			return &api.Client{BaseURL: base + "/v1", HTTP: hc, Tokens: testutil.StaticToken("tok")}, nil
		},
		Limit:  DefaultListLimit,
		Output: export.Options{Format: "table"},
	}
}

func TestListOutputs(t *testing.T) {
	var whole bytes.Buffer
	if err := output.JSON(&whole, json.RawMessage("["+strings.Join(listEnvs, ",")+"]")); err != nil {
		t.Fatal(err)
	}
	var wholeYAML bytes.Buffer
	if err := output.YAML(&wholeYAML, json.RawMessage("["+strings.Join(listEnvs, ",")+"]")); err != nil {
		t.Fatal(err)
	}
	table := `ID                                    NAME                    TYPE        REGION  STATUS
11111111-1111-4111-8111-111111111111  Administrators          PRODUCTION  NA      ACTIVE
22222222-2222-4222-8222-222222222222  Développement – Zürich  SANDBOX     EU      ACTIVE
33333333-3333-4333-8333-333333333333  Labs                    SANDBOX     CA
`
	tests := []struct {
		output output.Format
		limit  int
		pages  int
		want   string
	}{
		{"table", 100, 1, table},
		{"table", 1, 3, table},
		{"json", 2, 2, whole.String()},
		{"json", 1, 3, whole.String()},
		{"yaml", 1, 3, wholeYAML.String()},
		{"ndjson", 1, 3, compactLines(t, listEnvs)},
		{"ndjson", 100, 1, compactLines(t, listEnvs)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s limit %d", tt.output, tt.limit), func(t *testing.T) {
			srv := newListServer(t)
			var out bytes.Buffer
			opts := listOptions(srv.URL, srv.Client(), &out)
			opts.Output.Format, opts.Limit = tt.output, tt.limit
			if err := listRun(t.Context(), opts); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("output\n%s\nwant\n%s", out.String(), tt.want)
			}
			reqs := srv.requests()
			if len(reqs) != tt.pages {
				t.Errorf("%d requests, want %d", len(reqs), tt.pages)
			}
			if got := reqs[0].Get("limit"); got != strconv.Itoa(tt.limit) {
				t.Errorf("limit = %q, want %d", got, tt.limit)
			}
		})
	}
}

func TestListEmpty(t *testing.T) {
	tests := map[string]string{
		"json":  "[]\n",
		"yaml":  "[]\n",
		"table": "ID  NAME  TYPE  REGION  STATUS\n",
	}
	for format, want := range tests {
		srv := newListServer(t)
		srv.page = func(w http.ResponseWriter, cursor int) bool {
			fmt.Fprint(w, `{"_links":{"self":{"href":"x"}},"_embedded":{"environments":[]},"count":0,"size":0}`)
			return true
		}
		var out bytes.Buffer
		opts := listOptions(srv.URL, srv.Client(), &out)
		opts.Output.Format = output.Format(format)
		if err := listRun(t.Context(), opts); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if out.String() != want {
			t.Errorf("%s: output %q, want %q", format, out.String(), want)
		}
	}
}

func TestListFilter(t *testing.T) {
	srv := newListServer(t)
	opts := listOptions(srv.URL, srv.Client(), io.Discard)
	opts.Filter, opts.Limit = `name sw "Dev" and status eq "ACTIVE"`, 2
	if err := listRun(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	for i, q := range srv.requests() {
		if got := q.Get("filter"); got != opts.Filter {
			t.Errorf("request %d: filter %q, want %q", i, got, opts.Filter)
		}
	}
}

func TestListUsageErrors(t *testing.T) {
	tests := []struct {
		limit  int
		output output.Format
		want   string
	}{
		{0, "table", "--limit 0"},
		{501, "json", "--limit 501"},
		{-1, "yaml", "--limit -1"},
	}
	for _, tt := range tests {
		opts := listOptions("http://127.0.0.1:9", http.DefaultClient, io.Discard)
		opts.Limit, opts.Output.Format = tt.limit, tt.output
		opts.APIClient = func() (*api.Client, error) { t.Fatal("no client may be made"); return nil, nil }
		err := listRun(t.Context(), opts)
		p := cmdutil.Describe(err)
		code, msg := p.Code, p.String()
		// The flag with its value, and the bound it broke.
		if code != cmdutil.ExitUsage || !strings.Contains(msg, tt.want) || !strings.Contains(msg, "500") {
			t.Errorf("limit %d -o %s: exit %d %q, want exit 2 naming %q and the bound 500", tt.limit, tt.output, code, msg, tt.want)
		}
	}
}

func TestListErrors(t *testing.T) {
	tests := []struct {
		name    string
		page    func(w http.ResponseWriter, cursor int) bool
		code    int
		msg     string
		partial string        // output written before the failure
		output  output.Format // default json
	}{
		{"forbidden", func(w http.ResponseWriter, cursor int) bool {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"id":"c","code":"ACCESS_FAILED","message":"no","details":[{"code":"INSUFFICIENT_PERMISSIONS","message":"no"}]}`)
			return true
		}, cmdutil.ExitForbidden, "HTTP 403 ACCESS_FAILED/INSUFFICIENT_PERMISSIONS", "", ""},
		{"server error on page 2", func(w http.ResponseWriter, cursor int) bool {
			if cursor == 0 {
				return false
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}, cmdutil.ExitNetwork, "HTTP 503", "[\n  {\n    \"id\": \"11111111", ""},
		{"no _embedded", func(w http.ResponseWriter, cursor int) bool {
			fmt.Fprint(w, `{"id":"x"}`)
			return true
		}, cmdutil.ExitNetwork, `no "_embedded" object`, "", ""},
		{"wrong field type", func(w http.ResponseWriter, cursor int) bool {
			fmt.Fprint(w, `{"_embedded":{"environments":[{"id":"x","name":7}]}}`)
			return true
		}, cmdutil.ExitNetwork, `field "name"`, "", "table"},
		{"next link loops", func(w http.ResponseWriter, cursor int) bool {
			fmt.Fprintf(w, `{"_links":{"next":{"href":"/v1/environments?cursor=1&limit=1"}},"_embedded":{"environments":[%s]}}`, listEnvs[0])
			return true
		}, cmdutil.ExitNetwork, "cursor 1", "", ""},
		{"next link to another host", func(w http.ResponseWriter, cursor int) bool {
			fmt.Fprintf(w, `{"_links":{"next":{"href":"https://evil.example/v1/environments?cursor=1"}},"_embedded":{"environments":[%s]}}`, listEnvs[0])
			return true
		}, cmdutil.ExitNetwork, "https://evil.example", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newListServer(t)
			srv.page = tt.page
			var out bytes.Buffer
			opts := listOptions(srv.URL, srv.Client(), &out)
			opts.Output.Format, opts.Limit = cmp.Or(tt.output, "json"), 1
			err := listRun(t.Context(), opts)
			if err == nil {
				t.Fatal("no error")
			}
			p := cmdutil.Describe(err)
			code, msg := p.Code, p.String()
			if code != tt.code || !strings.Contains(msg, tt.msg) {
				t.Errorf("exit %d %q\nwant exit %d with %q", code, msg, tt.code, tt.msg)
			}
			if !strings.HasPrefix(out.String(), tt.partial) {
				t.Errorf("output %q, want it to start with %q", out.String(), tt.partial)
			}
			if strings.HasSuffix(out.String(), "]\n") {
				t.Errorf("output %q: a failed list must not look complete", out.String())
			}
		})
	}
}

// TestListBoundsHostileServers lists from servers whose paging never ends
// or contradicts itself: every output stops with exit 6, naming what the
// server did, after a bounded number of requests.
func TestListBoundsHostileServers(t *testing.T) {
	env := func(page, i int, name string) string {
		return fmt.Sprintf(`{"id":"%08x-0000-4000-8000-%012x","name":%q,"type":"SANDBOX"}`, page, i, name)
	}
	tests := []struct {
		name     string
		output   output.Format
		page     func(srv string, n int) string // the n-th answer, from 1
		requests int
		msg      []string
	}{
		{"endless next links, table", "table", func(srv string, n int) string {
			items := make([]string, 500)
			for i := range items {
				items[i] = env(n, i, "e")
			}
			return fmt.Sprintf(`{"_links":{"next":{"href":"%s/v1/environments?cursor=%d"}},"_embedded":{"environments":[%s]},"size":500}`, srv, n, strings.Join(items, ","))
		}, 200, []string{"after 100000 items", "filter"}},
		{"more environments than the page's size", "json", func(srv string, n int) string {
			return fmt.Sprintf(`{"_embedded":{"environments":[%s,%s]},"count":1,"size":1}`, env(n, 0, "a"), env(n, 1, "b"))
		}, 1, []string{"carries 2 items but its size says 1", "--api-url"}},
		{"next link repeats an earlier page, table", "table", func(srv string, n int) string {
			return fmt.Sprintf(`{"_links":{"next":{"href":"%s/v1/environments?cursor=%d"}},"_embedded":{"environments":[%s]},"size":1}`, srv, min(n, 3), env(n, 0, "a"))
		}, 4, []string{"repeats a page already fetched (cursor 3)"}},
		{"table of outsized names", "table", func(srv string, n int) string {
			big := strings.Repeat("x", 256<<10)
			return fmt.Sprintf(`{"_links":{"next":{"href":"%s/v1/environments?cursor=%d"}},"_embedded":{"environments":[%s,%s]}}`, srv, n, env(n, 0, big), env(n, 1, big))
		}, 2, []string{"exceed 1 MiB", "-o json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.name, "outsized") {
				// The table's bound, lowered for speed.
				defer func(n int64) { maxTableBytes = n }(maxTableBytes)
				maxTableBytes = 1 << 20
			}
			var requests atomic.Int32
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, tt.page(srv.URL, int(requests.Add(1))))
			}))
			defer srv.Close()
			var out bytes.Buffer
			opts := listOptions(srv.URL, srv.Client(), &out)
			opts.Output.Format, opts.Limit = tt.output, MaxListLimit
			p := cmdutil.Describe(listRun(t.Context(), opts))
			code, msg := p.Code, p.String()
			if code != cmdutil.ExitNetwork {
				t.Errorf("exit %d (%s), want %d", code, msg, cmdutil.ExitNetwork)
			}
			for _, want := range tt.msg {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if got := int(requests.Load()); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			if tt.output == "table" && out.Len() > 0 {
				t.Errorf("a failed table printed %d bytes", out.Len())
			}
			if strings.HasSuffix(out.String(), "]\n") {
				t.Error("a failed list looks complete")
			}
		})
	}
}

// TestListStreams checks that a page is written before the next one is
// even answered.
func TestListStreams(t *testing.T) {
	for _, format := range []output.Format{"json", "yaml", "ndjson"} {
		t.Run(string(format), func(t *testing.T) {
			release := make(chan struct{})
			srv := newListServer(t)
			srv.page = func(w http.ResponseWriter, cursor int) bool {
				if cursor > 0 {
					<-release
				}
				return false
			}
			var out testutil.SyncBuffer
			opts := listOptions(srv.URL, srv.Client(), &out)
			opts.Output.Format, opts.Limit = format, 1
			done := make(chan error, 1)
			go func() { done <- listRun(t.Context(), opts) }()

			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(out.String(), "Administrators") {
				if time.Now().After(deadline) {
					close(release)
					t.Fatalf("the first page was not written while the second was pending; output %q", out.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if strings.Contains(out.String(), "Labs") {
				t.Error("later pages written before they were answered")
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "Labs") {
				t.Errorf("output %q lacks the last page", out.String())
			}
		})
	}
}

// bigEmulator starts an emulator with n generated environments and returns
// its base URL and a token of a client that can read them all.
func bigEmulator(tb testing.TB, n int) (string, string) {
	tb.Helper()
	const secret = "generated-fixture-secret-for-the-list-test"
	f := emulator.GeneratedFixture(n, secret)
	home := f.Clients[0].EnvironmentID
	srv, err := emulator.New(f)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)

	req, err := http.NewRequest(http.MethodPost, ts.URL+"/"+home+"/as/token", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(emulator.GeneratedClientID, secret)
	resp, err := ts.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("token request: HTTP %d, %v", resp.StatusCode, err)
	}
	return ts.URL, tok.AccessToken
}

// heapSampler counts what is written and, every so many bytes, collects
// garbage and records the live heap's peak.
type heapSampler struct {
	n, next, every int
	peak           uint64
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.n += len(p)
	if h.n >= h.next {
		h.next = h.n + h.every
		h.sample()
	}
	return len(p), nil
}

func (h *heapSampler) sample() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.peak = max(h.peak, ms.HeapAlloc)
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestListMemoryStaysFlat lists 10,000 environments from the emulator, 200
// a page, and checks that the live heap never grows by more than a fraction
// of what is written: JSON and YAML hold one page at a time, and the table
// holds five short strings per row, never the resources. No filter is sent:
// PingOne ignores limit with most filters and answers every match on one page,
// which would not exercise paging.
func TestListMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 10,000 environments")
	}
	const n, small = 10000, 1000
	base, token := bigEmulator(t, n)
	// The race detector makes YAML encoding and table rendering about ten
	// times slower: there, those two list 1,000 environments from a second
	// emulator holding that many, still over five pages (JSON still lists
	// all 10,000).
	subset := raceEnabled()
	var smallBase, smallToken string
	if subset {
		smallBase, smallToken = bigEmulator(t, small)
	}
	tests := []struct {
		output output.Format
		subset bool
		// perRow is what the output may keep per environment.
		perRow uint64
	}{
		{"json", false, 0},
		{"ndjson", false, 0},
		{"yaml", subset, 0},
		{"table", subset, 200},
	}
	for _, tt := range tests {
		t.Run(string(tt.output), func(t *testing.T) {
			base, token, envs := base, token, n
			if tt.subset {
				base, token, envs = smallBase, smallToken, small
			}
			w := &heapSampler{every: 1 << 20}
			counter := &pageCounter{next: http.DefaultTransport}
			hc := &http.Client{Transport: counter}
			opts := listOptions(base, hc, w)
			opts.APIClient = func() (*api.Client, error) {
				return &api.Client{BaseURL: base + "/v1", HTTP: hc, Tokens: testutil.StaticToken(token)}, nil
			}
			opts.Output.Format, opts.Limit = tt.output, 200
			before := liveHeap()
			if err := listRun(t.Context(), opts); err != nil {
				t.Fatal(err)
			}
			w.sample()
			growth := uint64(0)
			if w.peak > before {
				growth = w.peak - before
			}
			t.Logf("-o %s: %d environments, %.1f MiB written, live heap grew by at most %.2f MiB",
				tt.output, envs, float64(w.n)/(1<<20), float64(growth)/(1<<20))
			if got, want := counter.count(), envs/200; got != want {
				t.Fatalf("%d requests, want %d pages of 200", got, want)
			}
			if want := int(envs) * 600; tt.output != "table" && w.n < want {
				t.Fatalf("%d bytes written, want at least %d", w.n, want)
			}
			if limit := 2<<20 + uint64(envs)*tt.perRow; growth > limit {
				t.Errorf("live heap grew by %d bytes, want at most %d: the output is not streamed", growth, limit)
			}
		})
	}
}

// pageCounter is a transport counting the requests sent through it.
type pageCounter struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    int
}

func (c *pageCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

func (c *pageCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// BenchmarkList lists 10,000 environments from the emulator, 100 a page.
func BenchmarkList(b *testing.B) {
	const n = 10000
	base, token := bigEmulator(b, n)
	for _, format := range []output.Format{"json", "ndjson", "yaml", "table"} {
		b.Run(string(format), func(b *testing.B) {
			opts := listOptions(base, http.DefaultClient, io.Discard)
			opts.APIClient = func() (*api.Client, error) {
				return &api.Client{BaseURL: base + "/v1", HTTP: http.DefaultClient, Tokens: testutil.StaticToken(token)}, nil
			}
			opts.Output.Format = format
			b.ReportAllocs()
			for b.Loop() {
				if err := listRun(context.Background(), opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "envs/s")
		})
	}
}

func TestNewCmdList(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	tests := []struct {
		args    string
		want    ListOptions
		wantErr string
	}{
		{"", ListOptions{Limit: 100, Output: export.Options{Format: "table"}}, ""},
		{`--filter name\ sw\ "Dev" --limit 5 -o json`, ListOptions{Filter: `name sw "Dev"`, Limit: 5, Output: export.Options{Format: "json"}}, ""},
		{"extra", ListOptions{}, `unknown command "extra"`},
		{"--limit many", ListOptions{}, `invalid argument "many"`},
	}
	for _, tt := range tests {
		var got *ListOptions
		cmd := NewCmdList(f, func(o *ListOptions) error { got = o; return nil })
		cmd.SetArgs(splitArgs(tt.args))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if got.Filter != tt.want.Filter || got.Limit != tt.want.Limit || got.Output.Format != tt.want.Output.Format {
			t.Errorf("%q: options %+v, want %+v", tt.args, got, tt.want)
		}
	}
	if cmd := NewCmdList(f, nil); cmd.Short == "" || cmd.Long == "" || cmd.Example == "" {
		t.Error("list needs Short, Long and Example help")
	}
}

// splitArgs splits on spaces not escaped with a backslash.
func splitArgs(s string) []string {
	if s == "" {
		return nil
	}
	var args []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case s[i] == ' ':
			args = append(args, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(args, cur.String())
}

// compactLines is ndjson: each item compact on a line of its own.
func compactLines(t *testing.T, items []string) string {
	var b bytes.Buffer
	for _, it := range items {
		if err := json.Compact(&b, []byte(it)); err != nil {
			t.Fatal(err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestListFilters checks --jq and --template over the list: the whole
// array by default, each item as it arrives with -o ndjson.
func TestListFilters(t *testing.T) {
	tests := []struct {
		o    export.Options
		want string
	}{
		{export.Options{JQ: "length"}, "3\n"},
		{export.Options{JQ: ".[] | .name"}, "Administrators\nDéveloppement – Zürich\nLabs\n"},
		{export.Options{Format: "ndjson", JQ: ".name"}, "Administrators\nDéveloppement – Zürich\nLabs\n"},
		{export.Options{Template: `{{range .}}{{tablerow .name .region}}{{end}}`}, "Administrators          NA\nDéveloppement – Zürich  EU\nLabs                    CA\n"},
		{export.Options{Format: "ndjson", Template: `{{.type}},`}, "PRODUCTION,SANDBOX,SANDBOX,"},
	}
	for _, tt := range tests {
		srv := newListServer(t)
		var out bytes.Buffer
		opts := listOptions(srv.URL, srv.Client(), &out)
		opts.Output, opts.Limit = tt.o, 1
		if err := opts.Output.Compile(tt.o.Format != ""); err != nil {
			t.Fatal(err)
		}
		if err := listRun(t.Context(), opts); err != nil {
			t.Fatalf("%+v: %v", tt.o, err)
		}
		if out.String() != tt.want {
			t.Errorf("%+v: %q, want %q", tt.o, out.String(), tt.want)
		}
	}
}

// TestListFilterErrorIsNotAShapeError checks that a --jq failure on an
// item exits 1 naming --jq, not 6 as if PingOne had sent a bad answer.
func TestListFilterErrorIsNotAShapeError(t *testing.T) {
	srv := newListServer(t)
	var out bytes.Buffer
	opts := listOptions(srv.URL, srv.Client(), &out)
	opts.Output, opts.Limit = export.Options{Format: "ndjson", JQ: `error("boom")`}, 1
	if err := opts.Output.Compile(true); err != nil {
		t.Fatal(err)
	}
	p := cmdutil.Describe(listRun(t.Context(), opts))
	if code, msg := p.Code, p.String(); code != cmdutil.ExitError || !strings.Contains(msg, "--jq") {
		t.Errorf("exit %d %q, want %d naming --jq", code, msg, cmdutil.ExitError)
	}
}
