// Package httpx builds the one HTTP client p1ctl uses for both the token
// endpoint and the management API. Its transport chain does the
// cross-cutting work once: HTTPS policy, timeouts, a response-size limit,
// typed network errors naming the host, and a redacted debug trace.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/p1ctl/p1ctl/internal/netpolicy"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 10 << 20
	maxRedirects            = 5
)

// Options configures NewClient.
type Options struct {
	// Timeout bounds each request, from dialling to reading the last byte.
	Timeout time.Duration
	// MaxResponseBytes bounds every response body; reading past it fails
	// with a *TooLargeError.
	MaxResponseBytes int64
	// UserAgent is sent with every request.
	UserAgent string
	// Debug, when non-nil, receives a redacted trace of every exchange.
	Debug io.Writer
	// Redactor masks secrets in the debug trace.
	Redactor *redact.Redactor
	// Transport is the base transport; nil means a fresh clone of
	// http.DefaultTransport that also checks a plain-HTTP request's
	// connection ends on this machine (see InsecureURLError.Addr). A
	// transport given here is trusted to dial where it is told.
	Transport http.RoundTripper
	// MaxRetries bounds the retries of one request after a transient
	// failure; 0 means DefaultMaxRetries and a negative value none.
	MaxRetries int
	// Notify, when non-nil, is told about each retry before the wait, e.g.
	// "retrying in 2s: 429 REQUEST_LIMITED from api.pingone.eu".
	Notify func(string)
}

// NewClient returns an HTTP client applying opts.
func NewClient(opts Options) *http.Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	base := opts.Transport
	if base == nil {
		base = newTransport(opts.Timeout, nil)
	}
	var rt http.RoundTripper = &policyTransport{base: base, limit: opts.MaxResponseBytes, timeout: opts.Timeout}
	if opts.Debug != nil {
		rt = &traceTransport{base: rt, out: opts.Debug, redactor: opts.Redactor}
	}
	if opts.UserAgent != "" {
		rt = &userAgentTransport{base: rt, agent: opts.UserAgent}
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = DefaultMaxRetries
	}
	if opts.MaxRetries > 0 {
		// Outermost, so that RetryOf finds it.
		rt = &retryTransport{base: rt, retry: &Retry{maxRetries: opts.MaxRetries, notify: opts.Notify, sleep: sleepContext, jitter: halfJitter}}
	}
	// The timeout lives in policyTransport rather than http.Client.Timeout,
	// so that a timeout is reported as a *NetworkError naming the host.
	return &http.Client{
		Transport:     rt,
		CheckRedirect: checkRedirect,
	}
}

// dialFunc is the type of http.Transport.DialContext.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// newTransport returns the default base transport: http.DefaultTransport's
// settings, no proxy for plain HTTP, and dial (nil for the default dialer)
// made to refuse a plain-HTTP connection that does not end on this machine.
func newTransport(timeout time.Duration, dial dialFunc) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = proxyHTTPSOnly
	t.TLSHandshakeTimeout = min(timeout, 10*time.Second)
	if dial == nil {
		dial = t.DialContext
	}
	t.DialContext = loopbackOnly(dial)
	return t
}

// plainHTTPKey marks the context of a plain-HTTP request for loopbackOnly.
// http.Transport dials with a context that keeps the request's values.
type plainHTTPKey struct{}

// loopbackOnly wraps dial so that a connection made for a plain-HTTP request
// must end at a loopback address. netpolicy lets plain HTTP go to the name
// "localhost", but Go's resolver does not hard-code that name: without a
// hosts entry it asks DNS (with the search domains), whose answer could be
// another machine, which would then receive credentials in clear. Checking
// the address actually dialled, before anything is written, covers every way
// a name can resolve.
func loopbackOnly(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil || ctx.Value(plainHTTPKey{}) == nil {
			return conn, err
		}
		remote := conn.RemoteAddr().String()
		if ap, perr := netip.ParseAddrPort(remote); perr == nil {
			if ap.Addr().IsLoopback() {
				return conn, nil
			}
			remote = ap.Addr().Unmap().String()
		}
		conn.Close()
		return nil, &notLoopbackError{addr: remote}
	}
}

// notLoopbackError is loopbackOnly's refusal; policyTransport turns it into
// an *InsecureURLError naming the URL.
type notLoopbackError struct{ addr string }

func (e *notLoopbackError) Error() string {
	return "plain HTTP connection to " + e.addr + ", which is not a loopback address"
}

// proxyHTTPSOnly applies the HTTPS_PROXY / HTTP_PROXY / NO_PROXY settings
// to HTTPS requests only. Plain HTTP is allowed only to this machine
// (netpolicy), and sending such a request through a proxy would carry its
// credentials off the machine in clear text.
func proxyHTTPSOnly(req *http.Request) (*url.URL, error) {
	if req.URL.Scheme != "https" {
		return nil, nil
	}
	return http.ProxyFromEnvironment(req)
}

// checkRedirect follows redirects only on the same host and never from
// HTTPS to HTTP: a token request carries credentials in its headers or
// body, and an API request carries a bearer token.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	prev := via[len(via)-1]
	if req.URL.Host != via[0].URL.Host {
		return &RedirectError{From: via[0].URL.Host, To: req.URL.Host}
	}
	if prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
		return &RedirectError{From: prev.URL.Scheme + "://" + prev.URL.Host, To: req.URL.Scheme + "://" + req.URL.Host}
	}
	return nil
}

// RedirectError is a redirect p1ctl refused to follow.
type RedirectError struct{ From, To string }

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused to follow a redirect from %s to %s: credentials are never sent to another host or over plain HTTP", e.From, e.To)
}

// NetworkError is a failure to exchange a request with Host: DNS, connect,
// TLS, timeout or a broken connection.
type NetworkError struct {
	Host string
	Err  error
}

func (e *NetworkError) Error() string { return "cannot reach " + e.Host + ": " + describe(e.Err) }

func (e *NetworkError) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout.
func (e *NetworkError) Timeout() bool {
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// describe shortens the standard library's network errors to their cause.
func describe(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "host name not found"
	case errors.As(err, &dnsErr):
		return "DNS lookup failed: " + dnsErr.Err
	case errors.As(err, &opErr) && opErr.Op == "dial":
		var sysErr *os.SyscallError
		if errors.As(opErr.Err, &sysErr) {
			return "connection failed: " + sysErr.Err.Error()
		}
		return "connection failed: " + opErr.Err.Error()
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	return err.Error()
}

// InsecureURLError is a request p1ctl refused to send over plain HTTP.
type InsecureURLError struct {
	// URL is the scheme and host refused, e.g. "http://auth.example.com".
	URL string
	// Addr, when set, is where a plain-HTTP connection to a loopback host
	// name (localhost) actually went: an address off this machine. The
	// connection was closed before anything was sent on it.
	Addr string
}

func (e *InsecureURLError) Error() string {
	if e.Addr != "" {
		host := e.URL
		if u, err := url.Parse(e.URL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		return "refused to send a request to " + e.URL + ": " + host + " resolved to " + e.Addr +
			", not a loopback address (plain HTTP is allowed only to this machine: use 127.0.0.1 or [::1], or HTTPS)"
	}
	return "refused to send a request to " + e.URL + ": " + netpolicy.ErrInsecureScheme.Error()
}

func (e *InsecureURLError) Unwrap() error { return netpolicy.ErrInsecureScheme }

// policyTransport enforces HTTPS (except on loopback), bounds each attempt
// in time and its response body in size, and types network errors.
type policyTransport struct {
	base    http.RoundTripper
	limit   int64
	timeout time.Duration
}

func (t *policyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := netpolicy.CheckTransport(req.URL); err != nil {
		closeBody(req)
		return nil, &InsecureURLError{URL: req.URL.Scheme + "://" + req.URL.Host}
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	if strings.EqualFold(req.URL.Scheme, "http") {
		ctx = context.WithValue(ctx, plainHTTPKey{}, true)
	}
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		var nl *notLoopbackError
		if errors.As(err, &nl) {
			return nil, &InsecureURLError{URL: req.URL.Scheme + "://" + req.URL.Host, Addr: nl.addr}
		}
		return nil, &NetworkError{Host: req.URL.Host, Err: err}
	}
	resp.Body = &limitedBody{body: resp.Body, remaining: t.limit, limit: t.limit, host: req.URL.Host, cancel: cancel}
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// TooLargeError is a response body over the size limit.
type TooLargeError struct {
	Host  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.Limit)
	if e.Limit >= 1<<20 && e.Limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", e.Limit>>20)
	}
	return fmt.Sprintf("response from %s is larger than %s; refusing to read it", e.Host, size)
}

// limitedBody reads a response body through the size limit, types read
// errors, and ends the attempt's timeout when closed.
type limitedBody struct {
	body      io.ReadCloser
	remaining int64
	limit     int64
	host      string
	cancel    context.CancelFunc
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.remaining < 0 {
		return 0, &TooLargeError{Host: b.host, Limit: b.limit}
	}
	if int64(len(p)) > b.remaining+1 {
		p = p[:b.remaining+1]
	}
	n, err := b.body.Read(p)
	b.remaining -= int64(n)
	if b.remaining < 0 {
		return n - 1, &TooLargeError{Host: b.host, Limit: b.limit}
	}
	if err != nil && err != io.EOF {
		err = &NetworkError{Host: b.host, Err: err}
	}
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.body.Close()
	b.cancel()
	return err
}

type userAgentTransport struct {
	base  http.RoundTripper
	agent string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.agent)
	return t.base.RoundTrip(req)
}
