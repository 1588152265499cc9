package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/jwtinfo"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// Exit codes, documented in `p1ctl help exit-codes`, the README and
// docs/exit-codes.md.
const (
	ExitOK           = 0
	ExitError        = 1
	ExitUsage        = 2
	ExitAuth         = 3
	ExitForbidden    = 4
	ExitNotFound     = 5
	ExitNetwork      = 6
	ExitInterrupted  = 130
	ExitTerminated   = 143
	roleHint         = "grant the worker application a role on that environment that can read it (Environment Admin, Organization Admin or Configuration Read Only) in the admin console under Applications > the app > Roles"
	requestRoleHint  = "grant the worker application a role whose permissions allow this request on that environment (or on the organization), in the admin console under Applications > the app > Roles"
	timeoutHint      = "raise --timeout (or P1CTL_TIMEOUT), e.g. --timeout 2m, and check that your network and firewall allow outbound HTTPS"
	localTimeoutHint = "raise --timeout (or P1CTL_TIMEOUT), e.g. --timeout 2m, and check that the local server there (such as p1emu) is running and answering"
	localServerCheck = "that a local server (such as p1emu) is running and listening there"
	credentialsCheck = "check PINGONE_CLIENT_ID and PINGONE_CLIENT_SECRET (or --client-id / --client-secret-file), that the application exists in that environment and is enabled"
)

// FlagError is a command-line usage error: an unknown flag, a bad flag
// value, the wrong number of arguments.
type FlagError struct {
	Err error
	// Help, if set, is the command whose help lists what is valid, e.g.
	// "p1ctl token": the message then points at "p1ctl token --help".
	Help string
}

func (e *FlagError) Error() string { return e.Err.Error() }

func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf returns a *FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// Target names what a command was working on, for error messages: the
// environment involved and the region in use.
type Target struct {
	// EnvironmentID is the environment the failed operation concerned.
	EnvironmentID string
	// Region is the configured region code.
	Region string
	// Op says what was being done, e.g. "reading environment".
	Op string
	// Host is the server involved, named when no environment ID is (a
	// custom domain or an explicit token URL).
	Host string
	// HostFrom maps a server's host (as in a URL: name and any port) to
	// the settings key that decided it (config.KeyTokenURL, KeyAuthURL,
	// KeyCustomDomain, KeyAPIURL, or KeyRegion for the region's hosts), so
	// that a failure to reach it names the setting to check. TargetFor
	// fills it.
	HostFrom map[string]string
	// APIFrom is the settings key that decided the management API's
	// host (KeyAPIURL, or KeyRegion), which HostFrom cannot say when the
	// token endpoint shares that host. TargetFor fills it.
	APIFrom string
	// ForbiddenHint, if set, replaces the role advice of a 403: for a
	// request whose roles do not depend on one environment, such as
	// listing environments.
	ForbiddenHint string
	// BadRequestHint, if set, is what to check when PingOne answers 400:
	// the user-given part of the request it most likely refused, such as
	// a --filter.
	BadRequestHint string
	// NotEnvironment is set when the operation concerned something other
	// than environment EnvironmentID itself, such as a `p1ctl api` request
	// for /environments/ID/users, or for /users with EnvironmentID the
	// configured environment: a 403 then asks for a role allowing that
	// request rather than one that can read the environment, and the
	// environment ID is not added to what failed.
	NotEnvironment bool
}

// TargetFor returns the Target of op concerning environment id under the
// settings s: its region, and which settings decided the auth and API
// hosts. Without an environment ID the token URL's host names the
// environment.
func TargetFor(s *config.Settings, id, op string) Target {
	t := Target{EnvironmentID: id, Region: s.Region.Code, Op: op, HostFrom: map[string]string{}, APIFrom: s.APIURLFrom}
	if s.TokenURL != "" {
		t.HostFrom[netpolicy.Host(s.TokenURL)] = s.TokenURLFrom
		if id == "" {
			t.Host = netpolicy.Host(s.TokenURL)
		}
	}
	if h := netpolicy.Host(s.APIURL); s.APIURL != "" && t.HostFrom[h] == "" {
		t.HostFrom[h] = s.APIURLFrom
	}
	return t
}

// TargetError attaches a Target to an error.
type TargetError struct {
	Target
	Err error
}

func (e *TargetError) Error() string { return e.Err.Error() }

func (e *TargetError) Unwrap() error { return e.Err }

// WithTarget annotates err with what the command was working on.
func WithTarget(err error, t Target) error {
	if err == nil {
		return nil
	}
	return &TargetError{Target: t, Err: err}
}

// SilentError has already been reported; the CLI exits with Code and
// prints nothing more.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Describe maps err to its exit code and its one-line message (without the
// "p1ctl: " prefix): what failed, then what to check.
func Describe(err error) (int, string) {
	var t Target
	var te *TargetError
	if errors.As(err, &te) {
		t = te.Target
	}
	env := environmentPhrase(t)

	var (
		silent   *SilentError
		flagErr  *FlagError
		cfgErr   *config.Error
		keyErr   *auth.KeyError
		notSent  *auth.NotSentError
		cacheDir *auth.CacheDirError
		rejected *auth.RejectedError
		badResp  *auth.ResponseError
		apiErr   *api.Error
		shape    *api.ShapeError
		link     *api.LinkError
		paging   *api.PagingError
		badJWT   *jwtinfo.MalformedError
		unverif  *jwtinfo.VerificationError
		keySet   *jwtinfo.KeySetError
		netErr   *httpx.NetworkError
		tooLarge *httpx.TooLargeError
		insecure *httpx.InsecureURLError
		redirect *httpx.RedirectError
	)
	switch {
	case errors.As(err, &silent):
		return silent.Code, ""
	case errors.As(err, &flagErr):
		return ExitUsage, flagErr.Error() + " (see " + strings.TrimSpace(flagErr.Help+" --help") + ")"
	case errors.As(err, &cfgErr):
		return ExitUsage, cfgErr.Error()
	case errors.As(err, &keyErr):
		return ExitUsage, keyErr.Error() + ": check --private-key-file / PINGONE_PRIVATE_KEY_FILE"
	case errors.As(err, &cacheDir):
		return ExitUsage, cacheDir.Error()
	case errors.As(err, &insecure):
		return ExitUsage, insecure.Error()
	case errors.As(err, &badJWT):
		return ExitUsage, badJWT.Error()
	case errors.As(err, &unverif):
		return ExitAuth, unverif.Error()
	case errors.As(err, &keySet) && keySet.NotFound():
		return ExitNotFound, keySet.Error()
	case errors.As(err, &keySet):
		return ExitNetwork, keySet.Error()
	case errors.Is(err, context.Canceled):
		return ExitInterrupted, "interrupted"
	case errors.As(err, &rejected):
		return describeRejection(rejected, env, t)
	case errors.As(err, &apiErr):
		return describeAPIError(apiErr, env, t)
	case errors.As(err, &tooLarge):
		return ExitNetwork, tooLarge.Error() + ": check the API and auth URLs point at PingOne"
	case errors.As(err, &notSent) && errors.Is(err, context.DeadlineExceeded):
		// No request was in flight: the network is not to blame.
		return ExitNetwork, notSent.Error() + ": p1ctl spent it reading its configuration and token cache, or waiting for another p1ctl's token request; raise --timeout (or P1CTL_TIMEOUT)"
	case errors.Is(err, context.DeadlineExceeded):
		// --timeout ran out (httpx reports it as a network error naming
		// the host). Other timeouts, such as a TLS handshake's or a DNS
		// server's, do not depend on --timeout: describeNetwork takes them.
		host := ""
		if errors.As(err, &netErr) {
			host = netErr.Host
		}
		return ExitNetwork, describeTimeout(t, host)
	case errors.As(err, &netErr):
		return ExitNetwork, describeNetwork(netErr, t)
	case errors.As(err, &badResp):
		return ExitNetwork, fmt.Sprintf("%s (%s): check --token-url / --auth-url and the region point at PingOne's token endpoint", badResp.Error(), netpolicy.Host(badResp.TokenURL))
	case errors.As(err, &link):
		// A server answering with a next link p1ctl cannot follow sent
		// an answer PingOne would not: exit 6, like a malformed answer.
		return ExitNetwork, link.Error() + ": " + linkHint(link)
	case errors.As(err, &paging):
		return ExitNetwork, paging.Error() + ": " + paging.Hint()
	case errors.As(err, &shape):
		return ExitNetwork, shape.Error() + ": check --api-url points at PingOne's management API"
	case errors.As(err, &redirect):
		return ExitError, redirect.Error()
	}
	return ExitError, err.Error()
}

func describeRejection(e *auth.RejectedError, env string, t Target) (int, string) {
	host := netpolicy.Host(e.TokenURL)
	detail := e.Detail()
	setting := settingOf(t, host)
	// A --token-url or custom domain's token URL holds no environment ID:
	// a 404 there is about the URL, whatever environment is configured.
	urlOnly := t.EnvironmentID == "" || t.HostFrom[host] == config.KeyTokenURL || t.HostFrom[host] == config.KeyCustomDomain
	switch {
	case e.Status == http.StatusNotFound && urlOnly:
		return ExitNotFound, fmt.Sprintf("the token endpoint was not found at %s (%s): check %s", host, detail, orDefault(setting, "the token URL"))
	case e.Status == http.StatusNotFound && setting != "":
		// --auth-url chose the host: the region played no part.
		return ExitNotFound, fmt.Sprintf("%s was not found at %s (%s): check PINGONE_ENVIRONMENT_ID (or --environment-id), and %s, which names this host", env, host, detail, setting)
	case e.Status == http.StatusNotFound:
		return ExitNotFound, fmt.Sprintf("%s was not found at %s (%s): check PINGONE_ENVIRONMENT_ID (or --environment-id) and that the region (--region / PINGONE_REGION) is the environment's region", env, host, detail)
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return ExitNetwork, fmt.Sprintf("the token endpoint %s is unavailable for %s (%s): try again later%s", host, env, detail, retryHint(e.RetryAfter))
	case e.Code == "invalid_scope":
		return ExitAuth, fmt.Sprintf("%s refused the requested scopes for %s (%s): check --scope against the scopes the application is granted on its Resources tab", e.Server(), env, detail)
	case e.Code == "invalid_client" && strings.Contains(strings.ToLower(e.Description), "disabled"):
		return ExitAuth, fmt.Sprintf("the application is disabled in %s (%s): enable it in the admin console (Applications > the app > toggle)", env, detail)
	case e.Code == "unauthorized_client":
		// The client authenticated but may not use the grant p1ctl
		// always asks for.
		return ExitAuth, fmt.Sprintf("the application may not use the client_credentials grant in %s (%s): make it a Worker application, or enable the Client Credentials grant type on its Configuration tab", env, detail)
	case e.RegisteredMethod() != "":
		// The server said which method the client is registered for.
		return ExitAuth, fmt.Sprintf("%s refused the client authentication method %s for %s (%s): the application is registered for %s; set --auth-method / PINGONE_AUTH_METHOD to it", e.Server(), orDefault(e.Method, config.AuthClientSecretBasic), env, detail, e.RegisteredMethod())
	case e.KeyRefused():
		return ExitAuth, fmt.Sprintf("%s refused the client ID / private key for %s (%s): check PINGONE_CLIENT_ID, that the application's JWKS (or JWKS URL) holds the public key of --private-key-file / PINGONE_PRIVATE_KEY_FILE and that --key-id / PINGONE_KEY_ID matches its kid, that the application accepts the key's algorithm (RS256 for RSA keys, ES256/ES384/ES512 for EC keys), and that the application exists in %s and is enabled", e.Server(), env, detail, env)
	case e.ClientRejected():
		// PingOne answers a wrong secret with "Unsupported authentication
		// method", which misleads: say plainly what was refused.
		return ExitAuth, fmt.Sprintf("%s refused the client ID / secret pair for %s (%s): %s, and that --auth-method / PINGONE_AUTH_METHOD matches its token auth method", e.Server(), env, detail, strings.Replace(credentialsCheck, "that environment", env, 1))
	default:
		// unsupported_grant_type among others: PingOne supports
		// client_credentials, so most likely this application may not
		// use it.
		return ExitAuth, fmt.Sprintf("the token request for %s was rejected (%s): check that the application is a Worker app or has the client_credentials grant type; %s", env, detail, strings.Replace(credentialsCheck, "that environment", env, 1))
	}
}

func describeAPIError(e *api.Error, env string, t Target) (int, string) {
	what := orDefault(t.Op, "the request")
	if t.EnvironmentID != "" && !t.NotEnvironment && !strings.Contains(what, t.EnvironmentID) {
		what += " " + t.EnvironmentID
	}
	hint403 := roleHint
	if t.NotEnvironment {
		hint403 = requestRoleHint
	}
	switch {
	case e.Status == http.StatusUnauthorized && e.OtherHost:
		// An absolute URL to another host than the API's: not PingOne's
		// refusal, and the token was kept.
		return ExitAuth, fmt.Sprintf("%s: %s refused the access token (%s): it is not the management API host of --api-url / the region, so p1ctl kept its token and did not retry; check the URL, and that this server accepts the application's PingOne tokens", what, orDefault(netpolicy.Host(e.URL), "the server"), e.Error())
	case e.Status == http.StatusUnauthorized && e.NewToken:
		// Client.Do already replaced the token once: a fresh one was
		// refused too, so clearing the cache cannot help.
		return ExitAuth, fmt.Sprintf("PingOne rejected the access token for %s (%s) even after a retry with a newly fetched token, so the API refuses this application's tokens: check the token was issued by the same region's auth host as --api-url / the region (p1ctl token inspect shows its issuer), and that the worker application is enabled", what, e.Error())
	case e.Status == http.StatusUnauthorized:
		return ExitAuth, fmt.Sprintf("PingOne rejected the access token for %s (%s): check the token was issued by the same region's auth host as --api-url / the region, then run p1ctl token clear", what, e.Error())
	case e.Status == http.StatusForbidden && t.ForbiddenHint != "":
		return ExitForbidden, fmt.Sprintf("%s: insufficient privileges (%s): %s", what, e.Error(), t.ForbiddenHint)
	case e.Status == http.StatusForbidden && t.NotEnvironment:
		return ExitForbidden, fmt.Sprintf("%s: insufficient privileges (%s): %s", what, e.Error(), strings.Replace(hint403, "that environment", env, 1))
	case e.Status == http.StatusForbidden:
		// PingOne may answer 403 rather than 404 for an environment that
		// does not exist, so a mistyped ID looks like a missing role.
		return ExitForbidden, fmt.Sprintf("%s: insufficient privileges (%s): %s; PingOne also answers 403 for some environments that do not exist, so check the environment ID too", what, e.Error(), strings.Replace(hint403, "that environment", env, 1))
	case e.Status == http.StatusNotFound:
		where := "the region (--region / PINGONE_REGION)"
		if setting := settingFor(t.APIFrom); setting != "" && !e.OtherHost {
			where = setting + ", which names this host"
		}
		return ExitNotFound, fmt.Sprintf("%s: not found (%s): check PINGONE_ENVIRONMENT_ID (or the ID given), %s, and that the application has a role on %s", what, e.Error(), where, env)
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return ExitNetwork, fmt.Sprintf("%s: PingOne is unavailable (%s): try again later%s", what, e.Error(), retryHint(e.RetryAfter))
	case e.Status == http.StatusBadRequest && t.BadRequestHint != "":
		return ExitError, fmt.Sprintf("%s: PingOne refused the request (%s): %s", what, e.Error(), t.BadRequestHint)
	default:
		return ExitError, fmt.Sprintf("%s: PingOne refused the request (%s)", what, e.Error())
	}
}

func describeNetwork(e *httpx.NetworkError, t Target) string {
	host := e.Host
	if r, ok := config.RegionForHost(stripPort(host)); ok {
		host += " (region " + r.Code + ")"
	}
	const network = "and that your network and firewall allow outbound HTTPS"
	msg := strings.Replace(e.Error(), e.Host, host, 1)
	if isLoopback(e.Host) {
		// Nothing leaves the machine (plain HTTP is allowed only here):
		// no network, firewall or TLS to check, but the server itself.
		if setting := settingOf(t, e.Host); setting != "" {
			return fmt.Sprintf("%s: check %s, which names this host, and %s", msg, setting, localServerCheck)
		}
		return fmt.Sprintf("%s: check %s", msg, localServerCheck)
	}
	if setting := settingOf(t, e.Host); setting != "" {
		// An explicit URL or custom domain decided the host: the region
		// played no part.
		return fmt.Sprintf("%s: check %s, which names this host, %s", msg, setting, network)
	}
	regionCheck := "check the region and root domain (--region / PINGONE_REGION, --root-domain / PINGONE_ROOT_DOMAIN)"
	if t.EnvironmentID != "" {
		return fmt.Sprintf("%s: %s match environment %s, %s", msg, regionCheck, t.EnvironmentID, network)
	}
	return fmt.Sprintf("%s: %s, %s", msg, regionCheck, network)
}

// settingOf names the flag and environment variable that decided host, as
// "--custom-domain / PINGONE_CUSTOM_DOMAIN", when it was a setting other
// than the region; otherwise "".
func settingOf(t Target, host string) string { return settingFor(t.HostFrom[host]) }

// settingFor names the flag and environment variable of key, unless it is
// the region or unset: then "".
func settingFor(key string) string {
	if key == "" || key == config.KeyRegion {
		return ""
	}
	k, ok := config.LookupKey(key)
	if !ok || k.Flag == "" || len(k.Env) == 0 {
		return ""
	}
	return "--" + k.Flag + " / " + k.Env[0]
}

// environmentPhrase names the environment t concerns for messages, as in
// "the application exists in <phrase>".
func environmentPhrase(t Target) string {
	switch {
	case t.EnvironmentID != "":
		return "environment " + t.EnvironmentID
	case t.Host != "":
		return "the environment at " + t.Host
	default:
		return "the application's environment"
	}
}

// describeTimeout describes a request that ran out of time, naming host
// when known: raising --timeout is the first thing to try.
func describeTimeout(t Target, host string) string {
	what := orDefault(t.Op, "the request")
	if host != "" && isLoopback(host) {
		return fmt.Sprintf("%s timed out after --timeout waiting for %s: %s", what, host, localTimeoutHint)
	}
	if host != "" {
		if r, ok := config.RegionForHost(stripPort(host)); ok {
			host += " (region " + r.Code + ")"
		}
		return fmt.Sprintf("%s timed out after --timeout waiting for %s: %s to it", what, host, timeoutHint)
	}
	return fmt.Sprintf("%s timed out after --timeout: %s", what, timeoutHint)
}

// linkHint says what to check about a refused next-page link: a link that
// loops back to a page already fetched is the server's fault; any other
// (another host, user info, unparsable) means --api-url names a server
// other than PingOne's API.
func linkHint(e *api.LinkError) string {
	if e.Loop {
		return "try again later, or with another page size (limit) or filter, and if it persists report it to PingOne support"
	}
	return "check --api-url points at PingOne's management API"
}

// retryHint quotes a usable Retry-After: seconds as "12s", an HTTP date
// as a UTC time.
func retryHint(retryAfter string) string {
	if wait, ok := httpx.DescribeRetryAfter(retryAfter); ok {
		return " (PingOne asked to wait " + wait + ")"
	}
	return ""
}

// isLoopback reports whether host, as in a URL (name or IP and any port),
// is this machine.
func isLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return netpolicy.IsLoopbackHost(host)
}

func stripPort(host string) string {
	if h, _, ok := strings.Cut(host, ":"); ok {
		return h
	}
	return host
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
