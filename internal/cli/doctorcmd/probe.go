package doctorcmd

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"
)

// DefaultProbeTimeout bounds one probe, within the command's own deadline.
const DefaultProbeTimeout = 10 * time.Second

// Probe stages: where a probe failed.
const (
	StageDNS     = "dns"
	StageConnect = "connect"
	StageTLS     = "tls"
)

// Resolver looks up host names; *net.Resolver is one.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Prober checks that a URL's host resolves and accepts connections: a TLS
// handshake for HTTPS, a TCP connect for plain HTTP (which p1ctl allows on
// loopback only).
type Prober struct {
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
	// TLSConfig is the base TLS configuration; nil means the system's
	// trusted roots. ServerName is set per probe.
	TLSConfig *tls.Config
	// Proxy returns the proxy requests to a URL go through, as
	// http.ProxyFromEnvironment does; nil means no proxy. When a proxy is
	// used, the probe connects to the proxy instead.
	Proxy func(*http.Request) (*url.URL, error)
	// Timeout bounds one probe; 0 means DefaultProbeTimeout.
	Timeout time.Duration
}

// ProbeResult is what a probe found.
type ProbeResult struct {
	Host string
	Port string
	// Addresses are the host's addresses (none for an IP or via a proxy).
	Addresses []string
	// Proxy is the proxy's host:port when requests go through one.
	Proxy string
	// TLS reports whether a TLS handshake was made; TLSVersion is the
	// version agreed on.
	TLS        bool
	TLSVersion string
	// Stage says where the probe failed; "" when it succeeded.
	Stage string
	Err   error
}

// Probe checks u's host. It never takes longer than the Prober's timeout
// or ctx's deadline, whichever comes first.
func (p *Prober) Probe(ctx context.Context, u *url.URL) ProbeResult {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	r := ProbeResult{Host: u.Hostname(), Port: portOf(u)}
	if p.Proxy != nil {
		if pu, err := p.Proxy(&http.Request{URL: u}); err == nil && pu != nil {
			r.Proxy = net.JoinHostPort(pu.Hostname(), portOf(pu))
			var d net.Dialer
			conn, err := d.DialContext(ctx, "tcp", r.Proxy)
			if err != nil {
				r.Stage, r.Err = StageConnect, err
				return r
			}
			conn.Close()
			return r
		}
	}
	addrs := []string{r.Host}
	if net.ParseIP(r.Host) == nil {
		resolver := p.Resolver
		if resolver == nil {
			resolver = net.DefaultResolver
		}
		found, err := resolver.LookupHost(ctx, r.Host)
		if err != nil {
			r.Stage, r.Err = StageDNS, err
			return r
		}
		r.Addresses, addrs = found, found
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.TLSConfig != nil {
		cfg = p.TLSConfig.Clone()
	}
	cfg.ServerName = r.Host
	// Try each address in turn, as a browser would, until one answers.
	for _, a := range addrs {
		r.Stage, r.Err = p.dial(ctx, u.Scheme == "https", net.JoinHostPort(a, r.Port), cfg, &r)
		if r.Err == nil || ctx.Err() != nil {
			break
		}
	}
	return r
}

// dial connects to addr, with a TLS handshake if useTLS, and returns the
// stage that failed, if any.
func (p *Prober) dial(ctx context.Context, useTLS bool, addr string, cfg *tls.Config, r *ProbeResult) (string, error) {
	if !useTLS {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return StageConnect, err
		}
		conn.Close()
		return "", nil
	}
	d := &tls.Dialer{Config: cfg}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return dialStage(err), err
	}
	defer conn.Close()
	r.TLS = true
	if tc, ok := conn.(*tls.Conn); ok {
		r.TLSVersion = tls.VersionName(tc.ConnectionState().Version)
	}
	return "", nil
}

// dialStage tells a failed connection from a failed handshake.
func dialStage(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return StageConnect
	}
	return StageTLS
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}
