package doctorcmd

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// checkHosts probes the auth host (of the token URL) and the API host.
func (d *doctor) checkHosts(ctx context.Context) []Check {
	s := d.settings
	authCheck, authRegion := d.checkHost(ctx, CheckAuthHost, s.TokenURL, d.authHostHint())
	apiCheck, apiRegion := d.checkHost(ctx, CheckAPIHost, s.APIURL, d.apiHostHint())
	if apiCheck.Status == StatusPass && authRegion != "" && apiRegion != "" && authRegion != apiRegion {
		apiCheck.Status = StatusWarn
		apiCheck.Detail += fmt.Sprintf("; but the auth host is in region %s: the API only accepts tokens from its own region", authRegion)
		apiCheck.Hint = "use one region for both: set --region / PINGONE_REGION and drop --auth-url / --api-url overrides that name another region"
	}
	return []Check{authCheck, apiCheck}
}

// checkHost probes the host of raw. It also returns the PingOne region
// the host belongs to, if it is a regional PingOne host.
func (d *doctor) checkHost(ctx context.Context, name, raw, hint string) (Check, string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fail(name, cmdutil.ExitUsage, fmt.Sprintf("%q is not a URL", raw), hint), ""
	}
	r := d.opts.Probe(ctx, u)
	where := r.Host
	if r.Port != "443" || u.Scheme != "https" {
		where = net.JoinHostPort(r.Host, r.Port)
	}
	region := ""
	if reg, ok := config.RegionForHost(r.Host); ok {
		region = reg.Code
		where += " (region " + region + ")"
	} else if d.settings.TokenURLFrom == config.KeyCustomDomain && strings.EqualFold(r.Host, d.settings.CustomDomain) {
		where += " (custom domain)"
	}
	data := map[string]any{"url": raw, "host": r.Host, "port": r.Port}
	if region != "" {
		data["region"] = region
	}
	if len(r.Addresses) > 0 {
		data["addresses"] = r.Addresses
	}
	if r.Proxy != "" {
		data["proxy"] = r.Proxy
	}
	if r.TLSVersion != "" {
		data["tls"] = r.TLSVersion
	}

	if r.Err != nil {
		c := d.hostFailure(name, where, r, hint)
		c.Data = data
		return c, region
	}
	var how string
	switch {
	case r.Proxy != "":
		how = "through proxy " + r.Proxy + ", which accepts connections (the host itself is not checked from here)"
	case r.TLS:
		how = "answers with " + r.TLSVersion + " and a trusted certificate"
	default:
		how = "accepts TCP connections (plain HTTP, allowed on loopback only)"
	}
	if n := len(r.Addresses); n > 0 {
		how = fmt.Sprintf("resolves (%d %s), %s", n, plural(n, "address", "addresses"), how)
	}
	c := pass(name, where+" "+how)
	c.Data = data
	return c, region
}

func (d *doctor) hostFailure(name, where string, r ProbeResult, hint string) Check {
	const network = "check your network connectivity, and that the firewall allows outbound HTTPS"
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var ne net.Error
	switch {
	case r.Stage == StageDNS && errors.As(r.Err, &dnsErr) && dnsErr.IsNotFound:
		if _, ok := config.RegionForHost(r.Host); ok {
			// Every region's hosts exist: the lookup itself is failing.
			return fail(name, cmdutil.ExitNetwork, where+": host name not found, although every PingOne region's hosts exist: DNS is failing on this network",
				"check your DNS resolver and network connectivity; then "+hint)
		}
		return fail(name, cmdutil.ExitNetwork, where+": host name not found, so the URL or domain is probably wrong", hint)
	case r.Stage == StageDNS:
		return fail(name, cmdutil.ExitNetwork, where+": DNS lookup failed: "+shortError(r.Err), "check your DNS resolver and network connectivity")
	case ((errors.As(r.Err, &ne) && ne.Timeout()) || errors.Is(r.Err, context.DeadlineExceeded)) && netpolicy.IsLoopbackHost(r.Host):
		// Nothing leaves the machine: the local server is what is slow.
		return fail(name, cmdutil.ExitNetwork, where+": timed out", "check that the local server there (p1emu?) is running and answering; or raise --timeout")
	case (errors.As(r.Err, &ne) && ne.Timeout()) || errors.Is(r.Err, context.DeadlineExceeded):
		return fail(name, cmdutil.ExitNetwork, where+": timed out", network+"; or raise --timeout")
	case r.Proxy != "":
		return fail(name, cmdutil.ExitNetwork, where+": cannot connect to proxy "+r.Proxy+": "+shortError(r.Err), "check HTTPS_PROXY / NO_PROXY")
	case r.Stage == StageConnect && netpolicy.IsLoopbackHost(r.Host):
		return fail(name, cmdutil.ExitNetwork, where+": connection failed: "+shortError(r.Err), "nothing listens there: start the local server (p1emu?) or "+hint)
	case r.Stage == StageConnect:
		return fail(name, cmdutil.ExitNetwork, where+": connection failed: "+shortError(r.Err), network)
	case errors.As(r.Err, &unknownCA):
		return fail(name, cmdutil.ExitNetwork, where+": TLS certificate not trusted ("+shortError(r.Err)+")", "a proxy or firewall may be intercepting HTTPS: add its CA to the system's trusted certificates, or connect from another network")
	case errors.As(r.Err, &hostErr):
		return fail(name, cmdutil.ExitNetwork, where+": TLS certificate is for another host ("+shortError(r.Err)+")", hint)
	default:
		return fail(name, cmdutil.ExitNetwork, where+": TLS handshake failed: "+shortError(r.Err), "a proxy or firewall may be intercepting HTTPS; "+network)
	}
}

// authHostHint says which settings decide the auth host.
func (d *doctor) authHostHint() string {
	s := d.settings
	switch s.TokenURLFrom {
	case config.KeyTokenURL:
		return "check --token-url / PINGONE_TOKEN_URL (" + sourceOf(s, config.KeyTokenURL) + ")"
	case config.KeyAuthURL:
		return "check --auth-url / PINGONE_AUTH_URL (" + sourceOf(s, config.KeyAuthURL) + ")"
	case config.KeyCustomDomain:
		return "check --custom-domain / PINGONE_CUSTOM_DOMAIN (" + sourceOf(s, config.KeyCustomDomain) + ") and its DNS record"
	}
	return d.regionHint()
}

// apiHostHint says which settings decide the API host.
func (d *doctor) apiHostHint() string {
	s := d.settings
	if s.APIURLFrom == config.KeyAPIURL {
		return "check --api-url / PINGONE_API_URL (" + sourceOf(s, config.KeyAPIURL) + ")"
	}
	return d.regionHint()
}

func (d *doctor) regionHint() string {
	s := d.settings
	h := "check that --region / PINGONE_REGION or --root-domain / PINGONE_ROOT_DOMAIN match your environment's region (" +
		strings.Join(config.RegionCodes(), ", ") + ")"
	if s.RegionFrom == "" {
		h += "; none is set, so the default " + s.Region.Code + " is used"
	} else {
		h += "; region " + s.Region.Code + " comes from " + s.RegionSource().String()
	}
	return h
}

// shortError reduces a network error to its cause, without the "dial tcp
// 1.2.3.4:443:" prefixes.
func shortError(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "dial ") {
		msg = msg[i+2:]
	}
	return msg
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
