package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// fakeConn is a connection to remote that records what is written to it
// and, once something is, answers 200 "ok".
type fakeConn struct {
	remote net.Addr
	reply  io.Reader

	mu      sync.Mutex
	written bytes.Buffer
	wrote   chan struct{}
	closed  chan struct{}
	once    sync.Once
	closing sync.Once
}

func newFakeConn(remote string) *fakeConn {
	return &fakeConn{
		remote: net.TCPAddrFromAddrPort(netip.MustParseAddrPort(remote)),
		reply:  strings.NewReader("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
		wrote:  make(chan struct{}),
		closed: make(chan struct{}),
	}
}

func (c *fakeConn) Read(p []byte) (int, error) {
	select {
	case <-c.wrote:
		return c.reply.Read(p)
	case <-c.closed:
		return 0, net.ErrClosed
	}
}

func (c *fakeConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.written.Write(p)
	c.once.Do(func() { close(c.wrote) })
	return len(p), nil
}

func (c *fakeConn) bytesWritten() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written.Len()
}

func (c *fakeConn) Close() error                     { c.closing.Do(func() { close(c.closed) }); return nil }
func (c *fakeConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 50000} }
func (c *fakeConn) RemoteAddr() net.Addr             { return c.remote }
func (c *fakeConn) SetDeadline(time.Time) error      { return nil }
func (c *fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fakeConn) SetWriteDeadline(time.Time) error { return nil }

func (c *fakeConn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// A plain-HTTP request goes only to a loopback address, whatever the name
// "localhost" resolves to: the connection is checked before anything is
// written on it.
func TestPlainHTTPDialsOnlyLoopback(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		remote   string // where the dial ends up
		wantAddr string // InsecureURLError.Addr; "" if allowed
	}{
		{name: "localhost resolving elsewhere", url: "http://localhost:8080/as/token", remote: "192.0.2.10:8080", wantAddr: "192.0.2.10"},
		{name: "as a mapped IPv4 address", url: "http://localhost:8080/as/token", remote: "[::ffff:192.0.2.10]:8080", wantAddr: "192.0.2.10"},
		{name: "to an IPv6 address", url: "http://LOCALHOST./x", remote: "[2001:db8::1]:80", wantAddr: "2001:db8::1"},
		{name: "localhost at 127.0.0.1", url: "http://localhost:8080/as/token", remote: "127.0.0.1:8080"},
		{name: "localhost at another loopback address", url: "http://localhost:8080/as/token", remote: "127.0.1.1:8080"},
		{name: "localhost at ::1", url: "http://localhost:8080/as/token", remote: "[::1]:8080"},
		{name: "localhost at mapped 127.0.0.1", url: "http://localhost:8080/as/token", remote: "[::ffff:127.0.0.1]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := newFakeConn(tt.remote)
			var dials atomic.Int32
			dial := func(context.Context, string, string) (net.Conn, error) {
				dials.Add(1)
				return conn, nil
			}
			c := NewClient(Options{Transport: newTransport(5*time.Second, dial)})
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			req.Header.Set("Authorization", "Bearer secret-token")
			resp, err := c.Do(req)
			if tt.wantAddr == "" {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d", resp.StatusCode)
				}
				return
			}
			var insecure *InsecureURLError
			if !errors.As(err, &insecure) {
				t.Fatalf("err = %T %v, want *InsecureURLError", err, err)
			}
			if insecure.Addr != tt.wantAddr {
				t.Errorf("Addr = %q, want %q", insecure.Addr, tt.wantAddr)
			}
			if !errors.Is(err, netpolicy.ErrInsecureScheme) {
				t.Error("error does not match netpolicy.ErrInsecureScheme")
			}
			if n := conn.bytesWritten(); n != 0 {
				t.Errorf("%d bytes written to %s", n, tt.remote)
			}
			if !conn.isClosed() {
				t.Error("connection left open")
			}
			if n := dials.Load(); n != 1 {
				t.Errorf("%d dials, want 1: a refusal is not retried", n)
			}
		})
	}
}

func TestInsecureURLErrorMessage(t *testing.T) {
	tests := []struct {
		err  *InsecureURLError
		want []string // the URL, the rule and, when known, the address
	}{
		{&InsecureURLError{URL: "http://auth.example.com"}, []string{"http://auth.example.com", "HTTPS", "localhost"}},
		{&InsecureURLError{URL: "http://localhost:8080", Addr: "192.0.2.10"}, []string{"http://localhost:8080", "192.0.2.10", "loopback", "HTTPS"}},
	}
	for _, tt := range tests {
		got := tt.err.Error()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("Error() = %q, want it to name %q", got, w)
			}
		}
	}
}

// The check is for plain HTTP only: TLS authenticates an HTTPS server
// wherever the name leads.
func TestHTTPSDialsAnywhere(t *testing.T) {
	conn := newFakeConn("192.0.2.10:443")
	dial := func(context.Context, string, string) (net.Conn, error) { return conn, nil }
	c := NewClient(Options{Transport: newTransport(5*time.Second, dial), MaxRetries: -1})
	_, err := c.Get("https://localhost/x")
	var insecure *InsecureURLError
	if errors.As(err, &insecure) {
		t.Fatalf("HTTPS refused: %v", err)
	}
	if conn.bytesWritten() == 0 {
		t.Error("no TLS handshake was attempted")
	}
}

// With the real dialer, localhost and literal loopback addresses work.
func TestPlainHTTPToLocalhost(t *testing.T) {
	ips, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", "localhost")
	if err != nil || len(ips) == 0 {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			t.Skipf("localhost resolves to %s here", ip)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := NewClient(Options{})
	for _, target := range []string{srv.URL, "http://localhost:" + port} {
		resp, err := c.Get(target)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", target, resp.StatusCode)
		}
	}
}
