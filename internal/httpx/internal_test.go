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
			wait, code := retryAfter(resp)
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
