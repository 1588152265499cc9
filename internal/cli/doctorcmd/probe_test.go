package doctorcmd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// fakeResolver resolves names from a map; others are not found.
type fakeResolver map[string][]string

func (r fakeResolver) LookupHost(_ context.Context, host string) ([]string, error) {
	if addrs, ok := r[host]; ok {
		return addrs, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func TestProbe(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	plainSrv := httptest.NewServer(http.NotFoundHandler())
	defer plainSrv.Close()
	trusted := x509.NewCertPool()
	trusted.AddCert(tlsSrv.Certificate())
	_, tlsPort, _ := net.SplitHostPort(tlsSrv.Listener.Addr().String())
	_, plainPort, _ := net.SplitHostPort(plainSrv.Listener.Addr().String())

	tests := []struct {
		name      string
		url       string
		roots     *x509.CertPool
		proxy     string
		wantStage string
		wantTLS   bool
		wantAddrs int
	}{
		{name: "TLS by name", url: "https://localhost.test:" + tlsPort, roots: trusted, wantStage: StageTLS, wantAddrs: 1},
		{name: "TLS by IP", url: tlsSrv.URL, roots: trusted, wantTLS: true},
		{name: "untrusted certificate", url: tlsSrv.URL, roots: x509.NewCertPool(), wantStage: StageTLS},
		{name: "TLS to a plain HTTP server", url: "https://127.0.0.1:" + plainPort, roots: trusted, wantStage: StageTLS},
		{name: "plain HTTP on loopback", url: plainSrv.URL},
		{name: "plain HTTP by name", url: "http://localhost.test:" + plainPort, wantAddrs: 1},
		{name: "connection refused", url: "http://" + testutil.ClosedPort(t), wantStage: StageConnect},
		{name: "TLS connection refused", url: "https://" + testutil.ClosedPort(t), roots: trusted, wantStage: StageConnect},
		{name: "name not found", url: "https://auth.pingone.invalid", wantStage: StageDNS},
		{name: "through a proxy", url: "https://auth.pingone.invalid", proxy: plainSrv.URL},
		{name: "proxy refuses", url: "https://auth.pingone.invalid", proxy: "http://" + testutil.ClosedPort(t), wantStage: StageConnect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Prober{
				Resolver:  fakeResolver{"localhost.test": {"127.0.0.1"}},
				TLSConfig: &tls.Config{RootCAs: tt.roots},
				Timeout:   5 * time.Second,
			}
			if tt.proxy != "" {
				pu, _ := url.Parse(tt.proxy)
				p.Proxy = http.ProxyURL(pu)
			}
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			r := p.Probe(context.Background(), u)
			if r.Stage != tt.wantStage {
				t.Errorf("stage = %q (err %v), want %q", r.Stage, r.Err, tt.wantStage)
			}
			if (r.Err != nil) != (tt.wantStage != "") {
				t.Errorf("err = %v, want an error: %v", r.Err, tt.wantStage != "")
			}
			if r.TLS != tt.wantTLS || (tt.wantTLS && r.TLSVersion == "") {
				t.Errorf("TLS = %v %q, want %v", r.TLS, r.TLSVersion, tt.wantTLS)
			}
			if len(r.Addresses) != tt.wantAddrs {
				t.Errorf("addresses = %v, want %d", r.Addresses, tt.wantAddrs)
			}
			if tt.proxy != "" && r.Proxy == "" {
				t.Error("proxy not reported")
			}
		})
	}
}

func TestProbeHonoursTheDeadline(t *testing.T) {
	// A listener that never completes a TLS handshake.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	u, _ := url.Parse("https://" + l.Addr().String())
	r := (&Prober{}).Probe(ctx, u)
	if r.Err == nil {
		t.Fatal("want an error")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("probe took %s despite a 200ms deadline", d)
	}
	c := (&doctor{settings: testSettings()}).hostFailure(CheckAuthHost, "x", r, "hint")
	if c.code != 6 || c.Detail != "x: timed out" {
		t.Errorf("failure = %d %q, want 6 and a timeout", c.code, c.Detail)
	}
}

func TestPortOf(t *testing.T) {
	for raw, want := range map[string]string{"https://a": "443", "http://a": "80", "https://a:8443": "8443"} {
		u, _ := url.Parse(raw)
		if got := portOf(u); got != want {
			t.Errorf("portOf(%s) = %s, want %s", raw, got, want)
		}
	}
}

func TestRegionHint(t *testing.T) {
	s := testSettings()
	d := &doctor{settings: s}
	if h := d.authHostHint(); !strings.Contains(h, "none is set, so the default NA is used") {
		t.Errorf("default region hint = %q", h)
	}
	s.Values[config.KeyRootDomain] = "pingone.eu"
	s.Sources[config.KeyRootDomain] = config.Source{Kind: config.FromEnv, Name: "PINGONE_ROOT_DOMAIN"}
	s.Region, s.RegionFrom = config.Regions[1], config.KeyRootDomain
	if h := d.apiHostHint(); !strings.Contains(h, "region EU comes from environment variable PINGONE_ROOT_DOMAIN") {
		t.Errorf("root domain hint = %q", h)
	}
	s.Values[config.KeyAPIURL] = "https://api.example.com/v1"
	s.Sources[config.KeyAPIURL] = config.Source{Kind: config.FromFlag, Name: "api-url"}
	s.APIURLFrom = config.KeyAPIURL
	if h := d.apiHostHint(); h != "check --api-url / PINGONE_API_URL (from flag --api-url)" {
		t.Errorf("api-url hint = %q", h)
	}
}

func TestHostFailure(t *testing.T) {
	s := testSettings()
	s.Values[config.KeyRegion] = "EU"
	s.Sources[config.KeyRegion] = config.Source{Kind: config.FromEnv, Name: "PINGONE_REGION"}
	s.Region = config.Regions[1]
	d := &doctor{settings: s}
	tests := []struct {
		name   string
		r      ProbeResult
		detail string
		hint   string
	}{
		{"not found", ProbeResult{Host: "auth.pingone.eu", Stage: StageDNS, Err: &net.DNSError{IsNotFound: true}},
			"h: host name not found, although every PingOne region's hosts exist", "check your DNS resolver and network connectivity; then hint"},
		{"custom host not found", ProbeResult{Host: "auth.example.com", Stage: StageDNS, Err: &net.DNSError{IsNotFound: true}},
			"h: host name not found, so the URL or domain is probably wrong", "hint"},
		{"DNS down", ProbeResult{Host: "auth.pingone.eu", Stage: StageDNS, Err: &net.DNSError{Err: "server misbehaving"}},
			"h: DNS lookup failed: lookup : server misbehaving", "check your DNS resolver"},
		{"proxy", ProbeResult{Host: "auth.pingone.eu", Proxy: "proxy:3128", Stage: StageConnect, Err: errors.New("refused")},
			"h: cannot connect to proxy proxy:3128: refused", "HTTPS_PROXY"},
		{"loopback", ProbeResult{Host: "127.0.0.1", Stage: StageConnect, Err: errors.New("refused")},
			"h: connection failed: refused", "nothing listens there"},
		{"untrusted", ProbeResult{Host: "auth.pingone.eu", Stage: StageTLS, Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}},
			"h: TLS certificate not trusted", "intercepting HTTPS"},
		{"wrong host", ProbeResult{Host: "auth.pingone.eu", Stage: StageTLS, Err: x509.HostnameError{Host: "auth.pingone.eu", Certificate: &x509.Certificate{}}},
			"h: TLS certificate is for another host", "hint"},
		{"handshake", ProbeResult{Host: "auth.pingone.eu", Stage: StageTLS, Err: errors.New("EOF")},
			"h: TLS handshake failed: EOF", "firewall"},
		{"loopback timeout", ProbeResult{Host: "127.0.0.1", Stage: StageConnect, Err: context.DeadlineExceeded},
			"h: timed out", "local server"},
	}
	for _, tt := range tests {
		c := d.hostFailure(CheckAuthHost, "h", tt.r, "hint")
		if c.Status != StatusFail || c.code != 6 {
			t.Errorf("%s: status %s code %d", tt.name, c.Status, c.code)
		}
		if !strings.HasPrefix(c.Detail, tt.detail) {
			t.Errorf("%s: detail %q, want prefix %q", tt.name, c.Detail, tt.detail)
		}
		if !strings.Contains(c.Hint, tt.hint) {
			t.Errorf("%s: hint %q lacks %q", tt.name, c.Hint, tt.hint)
		}
		// Nothing to a loopback host leaves the machine.
		if tt.r.Host == "127.0.0.1" && strings.Contains(c.Hint, "HTTPS") {
			t.Errorf("%s: hint %q mentions HTTPS for a loopback host", tt.name, c.Hint)
		}
	}
}
