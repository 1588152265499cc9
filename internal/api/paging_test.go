package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/p1ctl/p1ctl/internal/testutil"
)

// pagedServer serves /v1/things in pages of two of total items; next(r,
// cursor) may replace the next link a page carries.
func pagedServer(t *testing.T, total int, next func(r *http.Request, cursor int) string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("Authorization = %q", got)
		}
		if r.URL.Path != "/v1/things" {
			http.NotFound(w, r)
			return
		}
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		end := min(start+2, total)
		var items []string
		for i := start; i < end; i++ {
			items = append(items, fmt.Sprintf(`{"id":"%d","z":1,"a":2}`, i))
		}
		link := ""
		if end < total {
			link = srv.URL + "/v1/things?cursor=" + strconv.Itoa(end)
		}
		if next != nil {
			link = next(r, end)
		}
		links := `{"self":{"href":"x"}}`
		if link != "" {
			links = fmt.Sprintf(`{"self":{"href":"x"},"next":{"href":%q}}`, link)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"_links":%s,"_embedded":{"things":[%s]},"count":%d,"size":%d}`, links, strings.Join(items, ","), total, end-start)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func testClient(srv *httptest.Server) *Client {
	return &Client{BaseURL: srv.URL + "/v1", HTTP: srv.Client(), Tokens: testutil.StaticToken("tok")}
}

// walk runs a pager to the end and returns every item's id.
func walk(t *testing.T, p *Pager) ([]string, error) {
	t.Helper()
	var ids []string
	for p.More() {
		page, err := p.Next(context.Background())
		if err != nil {
			return ids, err
		}
		for _, raw := range page.Items("things") {
			var item struct{ ID string }
			if err := json.Unmarshal(raw, &item); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, item.ID)
		}
	}
	return ids, nil
}

func TestPagerFollowsNextLinks(t *testing.T) {
	tests := []struct {
		total, calls int
		want         string
	}{
		{0, 1, ""},
		{1, 1, "0"},
		{2, 1, "0 1"},
		{5, 3, "0 1 2 3 4"},
	}
	for _, tt := range tests {
		srv, calls := pagedServer(t, tt.total, nil)
		p := testClient(srv).NewPager("/things", http.Header{"X-Test": {"1"}})
		ids, err := walk(t, p)
		if err != nil {
			t.Fatalf("total %d: %v", tt.total, err)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("total %d: items %q, want %q", tt.total, got, tt.want)
		}
		if int(calls.Load()) != tt.calls {
			t.Errorf("total %d: %d requests, want %d", tt.total, calls.Load(), tt.calls)
		}
		if _, err := p.Next(context.Background()); !errors.Is(err, ErrNoMorePages) {
			t.Errorf("total %d: Next after the end: %v, want ErrNoMorePages", tt.total, err)
		}
	}
}

func TestPagerKeepsItemsAsSent(t *testing.T) {
	srv, _ := pagedServer(t, 1, nil)
	page, err := testClient(srv).NewPager("things", nil).Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := string(page.Items("things")[0]); got != `{"id":"0","z":1,"a":2}` {
		t.Errorf("item = %s", got)
	}
	if page.StatusCode != 200 || page.Proto == "" || page.Header.Get("Content-Type") != "application/json" || !page.IsCollection {
		t.Errorf("page = %+v", page)
	}
	if page.Items("other") != nil {
		t.Error("Items of an absent collection: want nil")
	}
}

func TestPagerResolvesRelativeLinks(t *testing.T) {
	srv, _ := pagedServer(t, 5, func(r *http.Request, cursor int) string {
		if cursor >= 5 {
			return ""
		}
		return "things?cursor=" + strconv.Itoa(cursor)
	})
	ids, err := walk(t, testClient(srv).NewPager(srv.URL+"/v1/things", nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 5 {
		t.Errorf("items %v, want 5", ids)
	}
}

func TestPagerRefusesLinks(t *testing.T) {
	var otherCalls atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherCalls.Add(1)
	}))
	defer other.Close()

	tests := []struct {
		name  string
		next  func(srv string, cursor int) string
		pages int // pages fetched before the refusal
		want  string
		loop  bool
	}{
		{"another host", func(string, int) string { return other.URL + "/v1/things?cursor=2" }, 1,
			"refused to follow the next-page link of SRV/v1/things: it points at " + other.URL + ", not SRV; the access token is never sent to another host", false},
		{"another scheme", func(srv string, _ int) string {
			return strings.Replace(srv, "http://", "https://", 1) + "/v1/things?cursor=2"
		}, 1, "it points at https://", false},
		{"user info", func(srv string, _ int) string {
			return strings.Replace(srv, "http://", "http://user:pw@", 1) + "/v1/things?cursor=2"
		}, 1, "it carries a user name or password", false},
		{"same cursor twice", func(srv string, cursor int) string {
			return srv + "/v1/things?cursor=" + strconv.Itoa(min(cursor, 4))
		}, 3, "it repeats a page already fetched (cursor 4); the server's paging loops", true},
		{"back to the first page", func(srv string, cursor int) string {
			if cursor >= 4 {
				return srv + "/v1/things"
			}
			return srv + "/v1/things?cursor=" + strconv.Itoa(cursor)
		}, 2, "it repeats a page already fetched (SRV/v1/things)", true},
		{"control character", func(srv string, cursor int) string { return srv + "/v1/things?cursor=2\n" }, 1, "it contains control characters", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv, calls := pagedServer(t, 10, func(r *http.Request, cursor int) string { return tt.next(srv.URL, cursor) })
			p := testClient(srv).NewPager("/things", nil)
			_, err := walk(t, p)
			var le *LinkError
			if !errors.As(err, &le) {
				t.Fatalf("error %v, want *LinkError", err)
			}
			if want := strings.ReplaceAll(tt.want, "SRV", srv.URL); !strings.Contains(err.Error(), want) {
				t.Errorf("error\n%v\nwant it to contain\n%s", err, want)
			}
			if le.Loop != tt.loop {
				t.Errorf("Loop = %v, want %v", le.Loop, tt.loop)
			}
			if int(calls.Load()) != tt.pages {
				t.Errorf("%d pages fetched, want %d", calls.Load(), tt.pages)
			}
			if p.More() {
				t.Error("More after a refused link: want false")
			}
		})
	}
	if otherCalls.Load() != 0 {
		t.Errorf("the other host got %d requests, want none", otherCalls.Load())
	}
}

func TestPagerErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(error) bool
	}{
		{"error answer", 403, `{"id":"c1","code":"ACCESS_FAILED","message":"no"}`, func(err error) bool {
			var e *Error
			return errors.As(err, &e) && e.Status == 403 && e.Code == "ACCESS_FAILED"
		}},
		{"not JSON", 200, `<html>hi</html>`, func(err error) bool {
			var e *ShapeError
			return errors.As(err, &e) && strings.Contains(e.Error(), "not a JSON object")
		}},
		{"truncated", 200, `{"_embedded": {"things": [`, func(err error) bool {
			var e *ShapeError
			return errors.As(err, &e) && strings.Contains(e.Error(), "not valid JSON")
		}},
		{"embedded not an object", 200, `{"_embedded": [1]}`, func(err error) bool {
			var e *ShapeError
			return errors.As(err, &e) && strings.Contains(e.Error(), `"_embedded" is not an object`)
		}},
		{"bad next link type", 200, `{"_links": {"next": "x"}}`, func(err error) bool {
			var e *ShapeError
			return errors.As(err, &e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			p := testClient(srv).NewPager("/things", nil)
			page, err := p.Next(context.Background())
			if !tt.check(err) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if page == nil || string(page.Body) != tt.body || page.StatusCode != tt.status {
				t.Errorf("page = %+v, want the answer as received", page)
			}
			if p.More() {
				t.Error("More after an error: want false")
			}
		})
	}
}

func TestPagerNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	c := testClient(srv)
	srv.Close()
	page, err := c.NewPager("/things", nil).Next(context.Background())
	if err == nil || page != nil {
		t.Errorf("Next = %v, %v; want no page and an error", page, err)
	}
}

func TestParseEmbedded(t *testing.T) {
	tests := []struct {
		body         string
		isCollection bool
		want         string
	}{
		{`{"_embedded": {"b": [{"x":1}], "a": [], "one": {"y": 2}, "none": null}}`, true, `b=[{"x":1}] a=[] one=[{"y": 2}] none=[]`},
		{`{"_embedded": {}}`, true, ``},
		{`{"_embedded": null}`, false, ``},
		{`{"id": "x"}`, false, ``},
	}
	for _, tt := range tests {
		p := &Page{Body: []byte(tt.body)}
		if _, err := p.parse(); err != nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		var parts []string
		for _, c := range p.Embedded {
			items := make([]string, len(c.Items))
			for i, it := range c.Items {
				items[i] = string(it)
			}
			parts = append(parts, c.Name+"=["+strings.Join(items, ",")+"]")
		}
		if got := strings.Join(parts, " "); got != tt.want || p.IsCollection != tt.isCollection {
			t.Errorf("%s: got %q (collection %v), want %q (%v)", tt.body, got, p.IsCollection, tt.want, tt.isCollection)
		}
	}
	if _, err := (&Page{Body: []byte(`{"_embedded": {"a": 1}}`)}).parse(); err == nil {
		t.Error(`_embedded member 1: want an error`)
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://api.pingone.com/v1/x", "https://API.pingone.com:443/v1/y", true},
		{"http://127.0.0.1/v1", "http://127.0.0.1:80/v1", true},
		{"https://api.pingone.com/v1", "http://api.pingone.com/v1", false},
		{"https://api.pingone.com/v1", "https://api.pingone.eu/v1", false},
		{"http://127.0.0.1:8080/v1", "http://127.0.0.1:8081/v1", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOrigin(a, b); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// hostileServer serves /v1/things forever: every page carries perPage
// items (but says size) and links to a next page with a new cursor.
func hostileServer(t *testing.T, perPage, size int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		items := make([]string, perPage)
		for i := range items {
			items[i] = fmt.Sprintf(`{"id":"%d-%d"}`, n, i)
		}
		fmt.Fprintf(w, `{"_links":{"next":{"href":"%s/v1/things?cursor=%d"}},"_embedded":{"things":[%s]},"size":%d}`,
			srv.URL, n, strings.Join(items, ","), size)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestPagerBoundsEndlessPaging(t *testing.T) {
	tests := []struct {
		name           string
		perPage, size  int
		limits         *PageLimits // nil: the defaults
		pages, items   int         // fetched before the refusal, items accepted
		kind           PagingKind
		reasonContains string
	}{
		{"endless next links reach the item cap", 1000, 1000, nil, 100, 100_000, PagingTooLong, "after 100000 items"},
		{"a page takes the count past the cap", 7, 7, &PageLimits{Items: 30}, 5, 28, PagingTooLong, "more than 30 items"},
		{"cap reached exactly on a page with a next link", 10, 10, &PageLimits{Items: 30}, 3, 30, PagingTooLong, "after 30 items"},
		{"endless empty pages", 0, 0, &PageLimits{Pages: 7}, 7, 0, PagingTooLong, "after 7 pages"},
		{"endless bytes", 10, 10, &PageLimits{Bytes: 1000}, 5, 40, PagingTooLong, "more than 1000 bytes"},
		{"more items than the page's size", 3, 2, nil, 1, 0, PagingOverSize, "carries 3 items but its size says 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := hostileServer(t, tt.perPage, tt.size)
			p := testClient(srv).NewPager("/things", nil)
			if tt.limits != nil {
				p.Limits = *tt.limits
			}
			ids, err := walk(t, p)
			var pe *PagingError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v, want *PagingError", err)
			}
			if pe.Kind != tt.kind || !strings.Contains(pe.Reason, tt.reasonContains) {
				t.Errorf("kind %d, reason %q; want kind %d with %q", pe.Kind, pe.Reason, tt.kind, tt.reasonContains)
			}
			if !strings.HasPrefix(pe.URL, srv.URL+"/v1/things") {
				t.Errorf("URL %q does not name the page", pe.URL)
			}
			if got := int(calls.Load()); got != tt.pages {
				t.Errorf("%d pages fetched, want %d", got, tt.pages)
			}
			if len(ids) > tt.items {
				t.Errorf("%d items accepted, want at most %d", len(ids), tt.items)
			}
			if p.More() {
				t.Error("More after the refusal: want false")
			}
		})
	}
}

// A page at or under its size, with or without a usable size, passes.
func TestPagerAcceptsSizes(t *testing.T) {
	for _, size := range []string{`2`, `5`, `null`, `"2"`, `-1`, `1.5`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"_embedded":{"things":[{"id":"a"},{"id":"b"}],"other":[{"id":"c"}],"one":{"id":"d"}},"size":%s}`, size)
		}))
		ids, err := walk(t, testClient(srv).NewPager("/things", nil))
		srv.Close()
		if err != nil || len(ids) != 2 {
			t.Errorf("size %s: %v, %d items; want both items", size, err, len(ids))
		}
	}
}

func TestParseSize(t *testing.T) {
	for body, want := range map[string]int{`{"size":3}`: 3, `{"size":0}`: 0, `{}`: -1, `{"size":"3"}`: -1, `{"size":-2}`: -1, `{"size":1e3}`: -1} {
		p := &Page{Body: []byte(body)}
		if _, err := p.parse(); err != nil || p.Size != want {
			t.Errorf("%s: size %d (%v), want %d", body, p.Size, err, want)
		}
	}
}
