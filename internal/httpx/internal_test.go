package httpx

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	pingBody := func(retryAfter string) string {
		return `{"id":"c","code":"REQUEST_LIMITED","message":"slow down","details":[{"code":"LIMIT_EXCEEDED","innerError":{"retryAfter":` + retryAfter + `}}]}`
	}
	tests := []struct {
		name     string
		header   string
		body     string
		wantWait time.Duration
		wantCode string
	}{
		{name: "nothing", body: `{}`},
		{name: "header seconds", header: "7", wantWait: 7 * time.Second},
		{name: "header longer than the cap", header: "3600", wantWait: maxBackoff},
		{name: "header that would overflow", header: "10000000000", wantWait: maxBackoff},
		{name: "header negative", header: "-5"},
		{name: "header garbage", header: "soon"},
		{name: "innerError seconds", body: pingBody("2.5"), wantWait: 2500 * time.Millisecond, wantCode: "REQUEST_LIMITED"},
		{name: "innerError that would overflow", body: pingBody("1e300"), wantWait: maxBackoff, wantCode: "REQUEST_LIMITED"},
		{name: "header wins over innerError", header: "1", body: pingBody("20"), wantWait: time.Second, wantCode: "REQUEST_LIMITED"},
		// Ping's OpenAPI description: a date-time string.
		{name: "innerError date-time", body: pingBody(`"` + time.Now().Add(time.Hour).UTC().Format(time.RFC3339) + `"`), wantWait: maxBackoff, wantCode: "REQUEST_LIMITED"},
		{name: "innerError date-time past", body: pingBody(`"2020-01-01T00:00:00Z"`), wantCode: "REQUEST_LIMITED"},
		{name: "innerError garbage string", body: pingBody(`"soon"`), wantCode: "REQUEST_LIMITED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{Header: http.Header{}, Body: io.NopCloser(strings.NewReader(tt.body))}
			if tt.header != "" {
				resp.Header.Set("Retry-After", tt.header)
			}
			wait, code, _ := retryAfter(resp)
			if wait != tt.wantWait || code != tt.wantCode {
				t.Errorf("retryAfter = %v, %q; want %v, %q", wait, code, tt.wantWait, tt.wantCode)
			}
			if rest, _ := io.ReadAll(resp.Body); string(rest) != tt.body {
				t.Errorf("body afterwards %q, want it whole", rest)
			}
		})
	}
}

// Plain-HTTP requests (allowed only to this machine) never go through a
// proxy, which would carry their credentials off the machine in clear.
func TestProxyHTTPSOnly(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://proxy.invalid:3128")
	t.Setenv("http_proxy", "http://proxy.invalid:3128")
	for _, target := range []string{"http://LOCALHOST:8080/as/token", "http://localhost.:8080/as/token", "http://127.0.0.1:8080/x"} {
		req, err := http.NewRequest(http.MethodPost, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if proxy, err := proxyHTTPSOnly(req); proxy != nil || err != nil {
			t.Errorf("%s goes through proxy %v (%v)", target, proxy, err)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 42, 0, 0, time.UTC)
	tests := []struct {
		value    string
		ok       bool
		wait     time.Duration
		describe string // a fragment of Describe's text
	}{
		{"12", true, 12 * time.Second, "12s"},
		{" 0 ", true, 0, "0s"},
		{"Sun, 06 Dec 2026 10:42:07 GMT", true, 7 * time.Second, "until 10:42:07 UTC"},
		{"Sunday, 06-Dec-26 10:42:07 GMT", true, 7 * time.Second, "until 10:42:07 UTC"},
		{"Mon, 07 Dec 2026 08:00:00 GMT", true, 76680 * time.Second, "until 2026-12-07 08:00:00 UTC"},
		{"Sun, 06 Dec 2026 10:41:00 GMT", true, 0, "until 10:41:00 UTC"},
		{"-5", false, 0, `"-5"`},
		{"1.5", false, 0, `"1.5"`},
		{"soon", false, 0, `"soon"`},
		{"99999999999999999999", false, 0, "neither"},
	}
	for _, tt := range tests {
		ra := ParseRetryAfter(tt.value, now)
		got := ra.Describe(now)
		if ra.OK != tt.ok || ra.Wait != tt.wait || !strings.Contains(got, tt.describe) {
			t.Errorf("%q: OK %v, wait %v, %q; want %v, %v, %q", tt.value, ra.OK, ra.Wait, got, tt.ok, tt.wait, tt.describe)
		}
		if strings.Contains(got, "GMT") {
			t.Errorf("%q: described as %q, want UTC", tt.value, got)
		}
	}
}

// The retry message says what Retry-After asked, and says so when it
// ignores it.
func TestRetryAfterNote(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC()
	tests := []struct {
		header string
		wait   time.Duration
		note   []string
	}{
		{future.Format(http.TimeFormat), maxBackoff, []string{"asked to wait until " + future.Format(time.TimeOnly) + " UTC"}},
		{"Sun, 06 Dec 2020 10:41:00 GMT", 0, []string{"until 2020-12-06 10:41:00 UTC", "has passed"}},
		{"3", 3 * time.Second, nil},
		{"3600", maxBackoff, []string{"asked to wait 3600s", "at most 30s"}},
		{"-3", 0, []string{`ignoring its Retry-After "-3"`, "default backoff"}},
		{"Sun, 06 Dec", 0, []string{`ignoring its Retry-After "Sun, 06 Dec"`, "default backoff"}},
		{"", 0, nil},
	}
	// An unusable header with PingOne's innerError.retryAfter: that wait
	// is used, and the note does not claim the default backoff.
	body := `{"code":"REQUEST_LIMITED","details":[{"innerError":{"retryAfter":2}}]}`
	resp := &http.Response{Header: http.Header{"Retry-After": {"soon"}}, Body: io.NopCloser(strings.NewReader(body))}
	if wait, _, note := retryAfter(resp); wait != 2*time.Second || !strings.Contains(note, `ignoring its Retry-After "soon"`) || strings.Contains(note, "default") {
		t.Errorf("unusable header with innerError: wait %v, note %q", wait, note)
	}
	for _, tt := range tests {
		resp := &http.Response{Header: http.Header{"Retry-After": {tt.header}}, Body: io.NopCloser(strings.NewReader(""))}
		wait, _, note := retryAfter(resp)
		if wait != tt.wait {
			t.Errorf("%q: wait %v, want %v", tt.header, wait, tt.wait)
		}
		for _, want := range tt.note {
			if !strings.Contains(note, want) {
				t.Errorf("%q: note %q, want it to contain %q", tt.header, note, want)
			}
		}
		if tt.note == nil && note != "" {
			t.Errorf("%q: note %q, want none", tt.header, note)
		}
	}
}
