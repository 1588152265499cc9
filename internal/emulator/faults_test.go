package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func tokenRequest(t *testing.T, base string) response {
	t.Helper()
	return postForm(t, tokenURL(base, DemoEnvironmentID), clientCredentials(), DemoClientID, DemoClientSecret)
}

func TestFaultTimesDecrement(t *testing.T) {
	s, ts := newTestServer(t)
	s.InjectFault(Fault{Endpoint: EndpointToken, Status: 429, RetryAfter: "2", Times: 2})

	for i := range 2 {
		resp := tokenRequest(t, ts.URL)
		if resp.status != 429 || resp.header.Get("Retry-After") != "2" {
			t.Fatalf("request %d: status %d, Retry-After %q", i, resp.status, resp.header.Get("Retry-After"))
		}
		body := resp.json(t)
		if body["code"] != "REQUEST_LIMITED" || detailCode(body) != "LIMIT_EXCEEDED" || !isUUID(body["id"].(string)) {
			t.Fatalf("body %s", resp.body)
		}
		inner := body["details"].([]any)[0].(map[string]any)["innerError"].(map[string]any)
		// Ping's schema makes it a date-time: when to retry.
		at, err := time.Parse(time.RFC3339, fmt.Sprint(inner["retryAfter"]))
		if err != nil || at.Before(time.Now().Add(time.Second)) || at.After(time.Now().Add(3*time.Second)) {
			t.Errorf("innerError = %v, want retryAfter about two seconds from now", inner)
		}
	}
	if resp := tokenRequest(t, ts.URL); resp.status != 200 {
		t.Fatalf("after the fault: status %d", resp.status)
	}
	if got := s.Count(EndpointToken); got != 3 {
		t.Errorf("Count = %d", got)
	}
	var statuses []int
	for _, r := range s.Requests() {
		statuses = append(statuses, r.Status)
	}
	if len(statuses) != 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 200 {
		t.Errorf("recorded statuses %v", statuses)
	}
}

func TestFaultUnlimitedUntilReset(t *testing.T) {
	s, ts := newTestServer(t)
	s.InjectFault(Fault{Status: 500})
	for range 3 {
		resp := tokenRequest(t, ts.URL)
		if resp.status != 500 || resp.json(t)["code"] != "UNEXPECTED_ERROR" {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	}
	if resp := get(t, ts.URL+"/v1/environments", ""); resp.status != 500 {
		t.Fatalf("any-endpoint fault not applied to the API: %d", resp.status)
	}
	s.Reset()
	if resp := tokenRequest(t, ts.URL); resp.status != 200 {
		t.Fatalf("after Reset: status %d", resp.status)
	}
	if s.Count("") != 1 || len(s.Requests()) != 1 {
		t.Errorf("Reset did not clear counters: %d, %d", s.Count(""), len(s.Requests()))
	}
}

func TestFaultMatchingAndOrder(t *testing.T) {
	s, ts := newTestServer(t)
	s.InjectFault(Fault{Endpoint: EndpointEnvironment, Status: 503, RetryAfter: "1", Times: 1})
	s.InjectFault(Fault{Endpoint: EndpointEnvironment, Status: 500, Times: 1})

	tok := basicToken(t, ts.URL, DemoClientID, DemoClientSecret) // not affected
	u := ts.URL + "/v1/environments/" + DemoEnvironmentID
	resp := get(t, u, tok)
	if resp.status != 503 || resp.json(t)["code"] != "SERVICE_UNAVAILABLE" || resp.header.Get("Retry-After") != "1" {
		t.Fatalf("first: status %d: %s", resp.status, resp.body)
	}
	if resp := get(t, u, tok); resp.status != 500 {
		t.Fatalf("second: status %d", resp.status)
	}
	if resp := get(t, u, tok); resp.status != 200 {
		t.Fatalf("third: status %d", resp.status)
	}
}

func TestFaultBodies(t *testing.T) {
	tests := []struct {
		name       string
		fault      Fault
		status     int
		ctype      string
		body       string // exact, if set
		code       string // API error code, if set
		noLength   bool
		bodyLength int
	}{
		{name: "HTML 502", fault: Fault{Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
			status: 502, ctype: "text/html; charset=utf-8", body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
		{name: "truncated JSON", fault: Fault{Status: 200, Body: `{"access_token":"ey`},
			status: 200, ctype: "application/json", body: `{"access_token":"ey`},
		{name: "body without status", fault: Fault{Body: `[]`}, status: 200, ctype: "application/json", body: `[]`},
		{name: "content type override", fault: Fault{Status: 503, ContentType: "text/plain"},
			status: 503, ctype: "text/plain", code: "SERVICE_UNAVAILABLE"},
		{name: "other 4xx", fault: Fault{Status: 418}, status: 418, ctype: "application/json", code: "REQUEST_FAILED"},
		{name: "other 5xx", fault: Fault{Status: 504}, status: 504, ctype: "application/json", code: "UNEXPECTED_ERROR"},
		{name: "401", fault: Fault{Status: 401}, status: 401, ctype: "application/json", code: "ACCESS_FAILED"},
		{name: "403", fault: Fault{Status: 403}, status: 403, ctype: "application/json", code: "ACCESS_FAILED"},
		{name: "404", fault: Fault{Status: 404}, status: 404, ctype: "application/json", code: "NOT_FOUND"},
		{name: "400", fault: Fault{Status: 400}, status: 400, ctype: "application/json", code: "INVALID_DATA"},
		{name: "429 without Retry-After", fault: Fault{Status: 429}, status: 429, ctype: "application/json", code: "REQUEST_LIMITED"},
		{name: "empty 204", fault: Fault{Status: 204}, status: 204, body: ""},
		{name: "huge body", fault: Fault{BodySize: 1 << 20}, status: 200, ctype: "application/json", noLength: true, bodyLength: 1 << 20},
		{name: "tiny body", fault: Fault{Status: 200, BodySize: 5}, status: 200, ctype: "application/json", bodyLength: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t)
			s.InjectFault(tt.fault)
			resp := tokenRequest(t, ts.URL)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d", resp.status, tt.status)
			}
			if tt.ctype != "" && resp.header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", resp.header.Get("Content-Type"), tt.ctype)
			}
			if tt.body != "" || (tt.code == "" && tt.bodyLength == 0) {
				if string(resp.body) != tt.body {
					t.Errorf("body %q, want %q", resp.body, tt.body)
				}
			}
			if tt.code != "" && resp.json(t)["code"] != tt.code {
				t.Errorf("body %s, want code %s", resp.body, tt.code)
			}
			if tt.bodyLength > 0 {
				if len(resp.body) != tt.bodyLength {
					t.Errorf("body length %d, want %d", len(resp.body), tt.bodyLength)
				}
				const prefix = `{"_embedded":{"filler":"`
				if n := min(len(prefix), len(resp.body)); string(resp.body[:n]) != prefix[:n] {
					t.Errorf("filler starts %q", resp.body[:n])
				}
			}
			if tt.noLength && resp.header.Get("Content-Length") != "" {
				t.Errorf("Content-Length %q sent with streamed filler", resp.header.Get("Content-Length"))
			}
		})
	}
}

func TestFaultDelayOnly(t *testing.T) {
	s, ts := newTestServer(t)
	s.InjectFault(Fault{Endpoint: EndpointToken, Delay: 100 * time.Millisecond, Times: 1})
	start := time.Now()
	resp := tokenRequest(t, ts.URL)
	if elapsed := time.Since(start); elapsed < 100*time.Millisecond {
		t.Errorf("answered after %v, before the delay", elapsed)
	}
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
}

func TestFaultDelayHonoursCancellation(t *testing.T) {
	s, err := New(DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	s.InjectFault(Fault{Delay: time.Hour, Status: 500})

	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v1/environments", nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ServeHTTP(rec, req)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("handler kept waiting after the request was cancelled")
	}
	if got := s.Requests(); len(got) != 1 || got[0].Status != 0 {
		t.Errorf("requests = %+v", got)
	}

	// Over the network: the client's timeout ends the wait.
	_, ts := newTestServer(t)
	srv := ts.Config.Handler.(*Server)
	srv.InjectFault(Fault{Delay: time.Hour})
	client := &http.Client{Timeout: 100 * time.Millisecond}
	_, err = client.Get(ts.URL + "/v1/environments")
	if err == nil {
		t.Fatal("request did not time out")
	}
	var netErr interface{ Timeout() bool }
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("want a timeout, got %v", err)
	}
}

func TestWriteFiller(t *testing.T) {
	for _, n := range []int64{1, 24, 25, 32 << 10, 100000} {
		var b strings.Builder
		writeFiller(&b, n)
		if int64(b.Len()) != n {
			t.Errorf("n=%d: wrote %d bytes", n, b.Len())
		}
	}
	writeFiller(failingWriter{}, 100) // must not loop forever
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }
