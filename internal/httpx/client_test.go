package httpx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// recorder is a base transport that never dials: it records each request
// and answers 200 "ok".
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.calls = append(r.calls, req.Method+" "+req.URL.String())
	r.mu.Unlock()
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), Request: req,
	}, nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// closeTracker is a request body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

func TestPlainHTTPPolicy(t *testing.T) {
	tests := []struct {
		url       string
		wantAllow bool
		wantIn    string // InsecureURLError.URL
	}{
		{"http://example.com/as/token", false, "http://example.com"},
		{"http://auth.pingone.com/" + "x/as/token", false, "http://auth.pingone.com"},
		{"http://10.1.2.3:8080/v1", false, "http://10.1.2.3:8080"},
		{"http://localhost.example.com/", false, "http://localhost.example.com"},
		{"http://user:pass@example.com/", false, "http://example.com"},
		{"http://127.0.0.1:9/x", true, ""},
		{"http://127.1.2.3:9/x", true, ""},
		{"http://localhost:9/x", true, ""},
		{"http://[::1]:9/x", true, ""},
		{"https://example.com/x", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			rec := &recorder{}
			c := httpx.NewClient(httpx.Options{Transport: rec})
			body := &closeTracker{Reader: strings.NewReader("client_secret=s")}
			req, err := http.NewRequest(http.MethodPost, tt.url, body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(req)
			if tt.wantAllow {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				resp.Body.Close()
				if rec.count() != 1 {
					t.Errorf("base transport called %d times, want 1", rec.count())
				}
				return
			}
			var insecure *httpx.InsecureURLError
			if !errors.As(err, &insecure) {
				t.Fatalf("err = %T %v, want *httpx.InsecureURLError", err, err)
			}
			if !errors.Is(err, netpolicy.ErrInsecureScheme) {
				t.Error("error does not match netpolicy.ErrInsecureScheme")
			}
			if insecure.URL != tt.wantIn {
				t.Errorf("URL = %q, want %q", insecure.URL, tt.wantIn)
			}
			if strings.Contains(err.Error(), "pass") {
				t.Errorf("error leaks URL credentials: %v", err)
			}
			if rec.count() != 0 {
				t.Errorf("base transport called %d times: the request got out", rec.count())
			}
			if !body.closed.Load() {
				t.Error("request body not closed")
			}
		})
	}
}

// writeN answers with n bytes, with or without a Content-Length.
func writeN(w http.ResponseWriter, n int, withLength bool) {
	if withLength {
		w.Header().Set("Content-Length", strconv.Itoa(n))
	}
	chunk := bytes.Repeat([]byte("a"), 4096)
	for n > 0 {
		k := min(n, len(chunk))
		w.Write(chunk[:k])
		n -= k
	}
}

func TestMaxResponseBytes(t *testing.T) {
	const limit = 10000
	tests := []struct {
		size     int
		wantFail bool
	}{
		{0, false},
		{1, false},
		{limit - 1, false},
		{limit, false},
		{limit + 1, true},
		{limit + 4097, true},
		{1 << 20, true},
	}
	for _, debug := range []bool{false, true} {
		for _, withLength := range []bool{true, false} {
			for _, tt := range tests {
				t.Run(fmt.Sprintf("debug=%v/length=%v/%d", debug, withLength, tt.size), func(t *testing.T) {
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeN(w, tt.size, withLength) }))
					defer srv.Close()
					opts := httpx.Options{MaxResponseBytes: limit}
					if debug {
						opts.Debug = io.Discard
					}
					resp, err := httpx.NewClient(opts).Get(srv.URL)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					data, err := io.ReadAll(resp.Body)
					if len(data) > limit {
						t.Errorf("read %d bytes past the %d-byte limit", len(data), limit)
					}
					if !tt.wantFail {
						if err != nil || len(data) != tt.size {
							t.Fatalf("read %d bytes, err %v; want %d bytes", len(data), err, tt.size)
						}
						return
					}
					var tooLarge *httpx.TooLargeError
					if !errors.As(err, &tooLarge) {
						t.Fatalf("err = %T %v, want *httpx.TooLargeError", err, err)
					}
					if tooLarge.Host != strings.TrimPrefix(srv.URL, "http://") || tooLarge.Limit != limit {
						t.Errorf("TooLargeError = %+v", tooLarge)
					}
					// Reading on keeps failing.
					if _, err := resp.Body.Read(make([]byte, 10)); !errors.As(err, &tooLarge) {
						t.Errorf("read after the limit: %v", err)
					}
				})
			}
		}
	}
}

func TestDefaultMaxResponseBytes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		writeN(w, n, false)
	}))
	defer srv.Close()
	c := httpx.NewClient(httpx.Options{})
	for _, tt := range []struct {
		n        int
		wantFail bool
	}{{httpx.DefaultMaxResponseBytes, false}, {httpx.DefaultMaxResponseBytes + 1, true}} {
		resp, err := c.Get(srv.URL + "?n=" + strconv.Itoa(tt.n))
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		var tooLarge *httpx.TooLargeError
		if got := errors.As(err, &tooLarge); got != tt.wantFail {
			t.Errorf("%d bytes: read %d, err %v", tt.n, n, err)
		}
		if tt.wantFail && !strings.Contains(err.Error(), "larger than 10 MiB") {
			t.Errorf("message %q", err.Error())
		}
	}
}

func TestNetworkErrorConnectionRefused(t *testing.T) {
	addr := testutil.ClosedPort(t)
	_, err := httpx.NewClient(httpx.Options{MaxRetries: -1}).Get("http://" + addr + "/as/token")
	var netErr *httpx.NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("err = %T %v, want *httpx.NetworkError", err, err)
	}
	if netErr.Host != addr {
		t.Errorf("Host = %q, want %q", netErr.Host, addr)
	}
	if netErr.Timeout() {
		t.Error("Timeout() = true for a refused connection")
	}
	if msg := netErr.Error(); !strings.HasPrefix(msg, "cannot reach "+addr+": connection failed: ") {
		t.Errorf("Error() = %q", msg)
	}
}

// slowServer answers only when the test ends.
func slowServer(t *testing.T) *httptest.Server {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

func TestNetworkErrorContextDeadline(t *testing.T) {
	srv := slowServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err := httpx.NewClient(httpx.Options{MaxRetries: -1}).Do(req)
	var netErr *httpx.NetworkError
	if !errors.As(err, &netErr) {
		t.Fatalf("err = %T %v, want *httpx.NetworkError", err, err)
	}
	if !netErr.Timeout() || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Timeout() = %v, Is(DeadlineExceeded) = %v", netErr.Timeout(), errors.Is(err, context.DeadlineExceeded))
	}
	if netErr.Host != strings.TrimPrefix(srv.URL, "http://") || !strings.HasSuffix(netErr.Error(), "timed out") {
		t.Errorf("Host %q, Error() %q", netErr.Host, netErr.Error())
	}
}

func TestNetworkErrorCanceled(t *testing.T) {
	srv := slowServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	_, err := httpx.NewClient(httpx.Options{MaxRetries: -1}).Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// Options.Timeout must give a *NetworkError naming the host, like every
// other failure to talk to it.
func TestNetworkErrorClientTimeout(t *testing.T) {
	for _, tt := range []struct {
		name      string
		transport func() http.RoundTripper
		tries     int
	}{
		{"default transport", func() http.RoundTripper { return nil }, 5},
		{"custom transport", func() http.RoundTripper { return http.DefaultTransport.(*http.Transport).Clone() }, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := slowServer(t)
			for range tt.tries {
				_, err := httpx.NewClient(httpx.Options{Timeout: 20 * time.Millisecond, MaxRetries: -1, Transport: tt.transport()}).Get(srv.URL)
				var netErr *httpx.NetworkError
				if !errors.As(err, &netErr) {
					t.Fatalf("err = %T %v, want *httpx.NetworkError", err, err)
				}
				if !netErr.Timeout() || netErr.Host != strings.TrimPrefix(srv.URL, "http://") {
					t.Errorf("Timeout() = %v, Host = %q", netErr.Timeout(), netErr.Host)
				}
			}
		})
	}
}

// Whatever its type, a timeout from Options.Timeout is recognisable as one.
func TestClientTimeoutIsDeadlineExceeded(t *testing.T) {
	srv := slowServer(t)
	start := time.Now()
	_, err := httpx.NewClient(httpx.Options{Timeout: 30 * time.Millisecond}).Get(srv.URL)
	if err == nil {
		t.Fatal("no error")
	}
	var ne net.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %T %v: not a timeout", err, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestNetworkErrorDescribe(t *testing.T) {
	tests := []struct {
		err  error
		want string // the key fact, after the host
	}{
		{&net.DNSError{Err: "no such host", Name: "auth.pingone.xx", IsNotFound: true}, "not found"},
		{&net.DNSError{Err: "server misbehaving", Name: "x"}, "server misbehaving"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}, "connection refused"},
		{context.DeadlineExceeded, "timed out"},
		{errors.New("tls: bad certificate"), "bad certificate"},
	}
	for _, tt := range tests {
		e := &httpx.NetworkError{Host: "unreachable.example", Err: tt.err}
		if got := e.Error(); !strings.Contains(got, "unreachable.example") || !strings.Contains(got, tt.want) || strings.Contains(got, "\n") {
			t.Errorf("Error() = %q, want one line naming the host and %q", got, tt.want)
		}
		if !errors.Is(e, tt.err) {
			t.Errorf("%v does not unwrap to its cause", e)
		}
	}
}

func TestRedirects(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		otherHits.Add(1)
		io.WriteString(w, "stolen")
	}))
	defer other.Close()

	var mainSrv *httptest.Server
	mainSrv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/cross-localhost":
			u, _ := url.Parse(mainSrv.URL)
			http.Redirect(w, r, "http://localhost:"+u.Port()+"/landing", http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/landing", http.StatusFound)
		case "/same-307":
			http.Redirect(w, r, "/echo", http.StatusTemporaryRedirect)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/landing":
			fmt.Fprintf(w, "landed with %s", r.Header.Get("Authorization"))
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, "%s %s", r.Method, b)
		}
	}))
	defer mainSrv.Close()

	mainHost := strings.TrimPrefix(mainSrv.URL, "http://")
	tests := []struct {
		name     string
		method   string
		path     string
		body     string
		wantBody string
		wantFrom string
		wantTo   string
		wantErr  string
	}{
		{name: "same host followed", path: "/same", wantBody: "landed with Bearer t"},
		{name: "same host 307 keeps method and body", method: "POST", path: "/same-307", body: "a=b", wantBody: "POST a=b"},
		{name: "cross host refused", path: "/cross", wantFrom: mainHost, wantTo: strings.TrimPrefix(other.URL, "http://")},
		{name: "same IP by another name refused", path: "/cross-localhost", wantFrom: mainHost, wantTo: "localhost:" + mainHost[strings.LastIndex(mainHost, ":")+1:]},
		{name: "redirect loop stopped", path: "/loop", wantErr: "stopped after 5 redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			req, _ := http.NewRequest(method, mainSrv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer t")
			resp, err := httpx.NewClient(httpx.Options{}).Do(req)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case tt.wantFrom != "":
				var re *httpx.RedirectError
				if !errors.As(err, &re) {
					t.Fatalf("err = %T %v, want *httpx.RedirectError", err, err)
				}
				if re.From != tt.wantFrom || re.To != tt.wantTo {
					t.Errorf("RedirectError = %+v, want from %s to %s", re, tt.wantFrom, tt.wantTo)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != tt.wantBody {
					t.Errorf("body %q, want %q", b, tt.wantBody)
				}
			}
		})
	}
	if otherHits.Load() != 0 {
		t.Errorf("the other host got %d requests", otherHits.Load())
	}
}

func TestRedirectHTTPSToHTTPRefused(t *testing.T) {
	var plainHits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			plainHits.Add(1)
		}
		http.Redirect(w, r, "http://"+r.Host+"/x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := httpx.NewClient(httpx.Options{Transport: srv.Client().Transport}).Get(srv.URL + "/start")
	var re *httpx.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %T %v, want *httpx.RedirectError", err, err)
	}
	host := strings.TrimPrefix(srv.URL, "https://")
	if re.From != "https://"+host || re.To != "http://"+host {
		t.Errorf("RedirectError = %+v", re)
	}
	if !strings.Contains(re.Error(), "never sent to another host or over plain HTTP") {
		t.Errorf("Error() = %q", re.Error())
	}
}

func TestUserAgent(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got.Store(r.Header.Get("User-Agent")) }))
	defer srv.Close()
	for _, tt := range []struct{ agent, want string }{
		{"p1ctl/1.2.3", "p1ctl/1.2.3"},
		{"", "Go-http-client/1.1"},
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("User-Agent", "caller/0")
		resp, err := httpx.NewClient(httpx.Options{UserAgent: tt.agent}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := tt.want
		if tt.agent == "" {
			want = "caller/0" // no agent configured: the caller's stands
		}
		if got.Load() != want {
			t.Errorf("UserAgent %q: server saw %q, want %q", tt.agent, got.Load(), want)
		}
		if tt.agent != "" && req.Header.Get("User-Agent") != "caller/0" {
			t.Error("the caller's request was modified")
		}
	}
}
