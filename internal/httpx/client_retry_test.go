package httpx_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// quickRetryBody is a PingOne 429 body asking for a 10 ms wait, so retry
// tests need no real backoff.
const quickRetryBody = `{"id":"c","code":"REQUEST_LIMITED","message":"slow down","details":[{"code":"LIMIT_EXCEEDED","innerError":{"retryAfter":0.01}}]}`

// flakyServer answers the first fails requests with status and
// quickRetryBody, then 200 with the request body echoed.
func flakyServer(t *testing.T, fails int, status int, header map[string]string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		b, _ := io.ReadAll(r.Body)
		if int(i) <= fails {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(status)
			io.WriteString(w, quickRetryBody)
			return
		}
		io.WriteString(w, "ok "+string(b))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		sendOnce   bool // mark the context with httpx.SendOnce
		status     int
		fails      int
		maxRetries int
		header     map[string]string
		wantStatus int
		wantCalls  int32
		wantNotes  int
	}{
		{name: "GET 429 retried", method: "GET", status: 429, fails: 1, wantStatus: 200, wantCalls: 2, wantNotes: 1},
		{name: "GET 503 twice retried", method: "GET", status: 503, fails: 2, wantStatus: 200, wantCalls: 3, wantNotes: 2},
		{name: "GET 502 retried", method: "GET", status: 502, fails: 1, wantStatus: 200, wantCalls: 2, wantNotes: 1},
		{name: "GET 504 retried", method: "GET", status: 504, fails: 1, wantStatus: 200, wantCalls: 2, wantNotes: 1},
		{name: "GET 500 not retried", method: "GET", status: 500, fails: 1, wantStatus: 500, wantCalls: 1},
		{name: "GET 401 not retried", method: "GET", status: 401, fails: 1, wantStatus: 401, wantCalls: 1},
		{name: "POST 503 not retried", method: "POST", status: 503, fails: 1, wantStatus: 503, wantCalls: 1},
		{name: "GET marked SendOnce not retried", method: "GET", sendOnce: true, status: 503, fails: 1, wantStatus: 503, wantCalls: 1},
		{name: "gives up after MaxRetries", method: "GET", status: 429, fails: 10, maxRetries: 2, wantStatus: 429, wantCalls: 3, wantNotes: 2},
		{name: "negative MaxRetries disables retries", method: "GET", status: 429, fails: 1, maxRetries: -1, wantStatus: 429, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := flakyServer(t, tt.fails, tt.status, tt.header)
			var mu sync.Mutex
			var notes []string
			c := httpx.NewClient(httpx.Options{MaxRetries: tt.maxRetries, Notify: func(s string) {
				mu.Lock()
				defer mu.Unlock()
				notes = append(notes, s)
			}})
			ctx := context.Background()
			if tt.sendOnce {
				ctx = httpx.SendOnce(ctx)
			}
			var body io.Reader
			if tt.method == "POST" {
				body = strings.NewReader("grant_type=client_credentials")
			}
			req, _ := http.NewRequestWithContext(ctx, tt.method, srv.URL+"/x", body)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantStatus != 200 && string(got) != quickRetryBody {
				t.Errorf("final error body %q not readable in full", got)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(notes) != tt.wantNotes {
				t.Fatalf("notes %q, want %d", notes, tt.wantNotes)
			}
			for _, n := range notes {
				if !strings.HasPrefix(n, "retrying in 10ms: ") || !strings.Contains(n, strings.TrimPrefix(srv.URL, "http://")) {
					t.Errorf("note %q", n)
				}
			}
		})
	}
}

// A Retry-After longer than what is left of the deadline is not waited for.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	srv, calls := flakyServer(t, 10, 503, map[string]string{"Retry-After": "20"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	start := time.Now()
	resp, err := httpx.NewClient(httpx.Options{}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || calls.Load() != 1 {
		t.Errorf("status %d after %d requests", resp.StatusCode, calls.Load())
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("waited %v", d)
	}
}

// A network failure is not retried when the backoff would overrun the
// deadline: the first backoff (250-500 ms) is longer than what is left of
// 50 ms. (TestRetrySafety has the failures that are retried.)
func TestRetryNetworkErrorBeyondDeadline(t *testing.T) {
	addr := testutil.ClosedPort(t)
	var notes atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/v1/environments", nil)
	_, err := httpx.NewClient(httpx.Options{Notify: func(string) { notes.Add(1) }}).Do(req)
	var netErr *httpx.NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("err = %T %v, want *httpx.NetworkError", err, err)
	}
	if notes.Load() != 0 {
		t.Errorf("%d retries announced despite the deadline", notes.Load())
	}
}

// A caller sending with SendOnce retries with the client's policy: the
// same transient statuses, the server's wait, and the same announcement.
func TestRetryOfWait(t *testing.T) {
	var notes []string
	c := httpx.NewClient(httpx.Options{MaxRetries: 1, Notify: func(s string) { notes = append(notes, s) }})
	retry := httpx.RetryOf(c)
	answer := func(status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(quickRetryBody))}
	}
	ctx := context.Background()
	if again, err := retry.Wait(ctx, "auth.example", 0, answer(500), nil); again || err != nil {
		t.Errorf("500: again %v, err %v", again, err)
	}
	if again, err := retry.Wait(ctx, "auth.example", 0, answer(429), nil); !again || err != nil {
		t.Errorf("429: again %v, err %v", again, err)
	}
	if again, _ := retry.Wait(ctx, "auth.example", 1, answer(429), nil); again {
		t.Error("retried beyond MaxRetries")
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "retrying in 10ms: 429 REQUEST_LIMITED from auth.example") {
		t.Errorf("notes %q", notes)
	}
	if httpx.RetryOf(httpx.NewClient(httpx.Options{MaxRetries: -1})) != nil || httpx.RetryOf(http.DefaultClient) != nil {
		t.Error("RetryOf a client that does not retry is not nil")
	}
	var none *httpx.Retry
	if again, err := none.Wait(ctx, "auth.example", 0, answer(429), nil); again || err != nil {
		t.Errorf("nil Retry: again %v, err %v", again, err)
	}
}

// The retry message shows an HTTP-date Retry-After as a time and says when
// it ignores one it cannot use.
func TestRetryNoteQuotesRetryAfter(t *testing.T) {
	past := "Sun, 06 Dec 2020 10:42:07 GMT"
	for header, want := range map[string]string{past: "until 2020-12-06 10:42:07 UTC", "-1": `ignoring its Retry-After "-1"`} {
		srv, _ := flakyServer(t, 1, 429, map[string]string{"Retry-After": header})
		var notes []string
		c := httpx.NewClient(httpx.Options{Notify: func(s string) { notes = append(notes, s) }})
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(notes) != 1 || !strings.Contains(notes[0], want) || strings.Contains(notes[0], "GMT") {
			t.Errorf("Retry-After %q: notes %q, want one containing %q", header, notes, want)
		}
	}
}
