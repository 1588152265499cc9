package httpx

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/testutil"
)

// closingServer reads each request's body, then closes the connection
// without answering for the first fails requests, and answers "ok" after.
// The request has reached the server, but the client cannot tell.
func closingServer(t *testing.T, fails int32) *httptest.Server {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		if n.Add(1) <= fails {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close()
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// untrustedTLSServer is an HTTPS server whose certificate the system roots
// do not vouch for.
func untrustedTLSServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// noSuchHost fails every dial as a resolver does for a name that does not
// exist, without asking a DNS server.
func noSuchHost(_ context.Context, network, addr string) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(addr)
	return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
}

// The retry safety rules: a request that is not safe to repeat is sent once
// unless it cannot have reached the server, and a failure another attempt
// cannot cure is not retried. Attempts are counted as dials: no attempt
// here can reuse a connection.
func TestRetrySafety(t *testing.T) {
	const maxRetries = 2
	tests := []struct {
		name         string
		method       string
		sendOnce     bool // mark the context with SendOnce
		target       func(t *testing.T) string
		dial         dialFunc // nil: dial for real
		wantAttempts int32
		wantStatus   int // 0: want a *NetworkError
	}{
		{
			name: "POST that reached the server is not repeated", method: "POST",
			target:       func(t *testing.T) string { return closingServer(t, 1).URL + "/v1/environments" },
			wantAttempts: 1,
		},
		{
			name: "POST marked SendOnce refused a connection is not repeated", method: "POST", sendOnce: true,
			target:       func(t *testing.T) string { return "http://" + testutil.ClosedPort(t) + "/as/token" },
			wantAttempts: 1,
		},
		{
			name: "GET that reached the server is repeated", method: "GET",
			target:       func(t *testing.T) string { return closingServer(t, 10).URL + "/v1/environments" },
			wantAttempts: 1 + maxRetries,
		},
		{
			name: "POST refused a connection is repeated", method: "POST",
			target:       func(t *testing.T) string { return "http://" + testutil.ClosedPort(t) + "/v1/environments" },
			wantAttempts: 1 + maxRetries,
		},
		{
			name: "host name not found is not retried", method: "GET",
			target:       func(*testing.T) string { return "https://auth.pingone.invalid/x/as/token" },
			dial:         noSuchHost,
			wantAttempts: 1,
		},
		{
			name: "untrusted certificate is not retried", method: "GET",
			target:       func(t *testing.T) string { return untrustedTLSServer(t).URL + "/v1/environments" },
			wantAttempts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dial := tt.dial
			if dial == nil {
				dial = (&net.Dialer{}).DialContext
			}
			var attempts atomic.Int32
			counting := func(ctx context.Context, network, addr string) (net.Conn, error) {
				attempts.Add(1)
				return dial(ctx, network, addr)
			}
			var mu sync.Mutex
			var notes []string
			c := NewClient(Options{Transport: newTransport(5*time.Second, counting), MaxRetries: maxRetries, Notify: func(s string) {
				mu.Lock()
				defer mu.Unlock()
				notes = append(notes, s)
			}})
			c.Transport.(*retryTransport).retry.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }

			ctx := context.Background()
			if tt.sendOnce {
				ctx = SendOnce(ctx)
			}
			req, err := http.NewRequestWithContext(ctx, tt.method, tt.target(t), strings.NewReader("a=b"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(req)
			if tt.wantStatus == 0 {
				var netErr *NetworkError
				if !errors.As(err, &netErr) {
					t.Errorf("err = %T %v, want a *NetworkError", err, err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
				}
			}
			if got := attempts.Load(); got != tt.wantAttempts {
				t.Errorf("%d attempts, want %d (err %v)", got, tt.wantAttempts, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(notes) != int(tt.wantAttempts)-1 {
				t.Errorf("notes %q, want %d", notes, tt.wantAttempts-1)
			}
		})
	}
}
