package cmdutil

import (
	"context"
	"crypto/x509"
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
	regionCheck      = "check the region and root domain (--region / PINGONE_REGION, --root-domain / PINGONE_ROOT_DOMAIN)"
	apiURLHint       = "check --api-url points at PingOne's management API"
	apiURLSetting    = "--api-url / PINGONE_API_URL"
	timeoutSetting   = "--timeout / P1CTL_TIMEOUT"
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

// Problem is an error described for the user, in parts: what failed,
// what the server said, what to do. The CLI prints String; doctor shows
// Detail and Hint as separate fields.
type Problem struct {
	Code   int    // the exit status
	What   string // what failed, naming the environment, host or file
	Reason string // why, as the server said it (status, code, correlation ID)
	Hint   string // what to do; "" when there is no advice
	// Setting is the one setting to fix, as "--flag / ENV_VAR", when the
	// failure points at one; Hint names it too.
	Setting string
}

// Detail is what failed and why: "what (reason)".
func (p Problem) Detail() string {
	if p.Reason == "" {
		return p.What
	}
	return p.What + " (" + p.Reason + ")"
}

// String is the one-line message: "what (reason): hint".
func (p Problem) String() string {
	if p.Hint == "" {
		return p.Detail()
	}
	return p.Detail() + ": " + p.Hint
}

// Describe maps err to its exit code and the parts of its message.
func Describe(err error) Problem {
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
		return Problem{Code: silent.Code}
	case errors.As(err, &flagErr):
		// A usage error's advice is always the command's help.
		return Problem{Code: ExitUsage, What: flagErr.Error() + " (see " + strings.TrimSpace(flagErr.Help+" --help") + ")"}
	case errors.As(err, &cfgErr):
		return Problem{Code: ExitUsage, What: cfgErr.What(), Hint: cfgErr.Fix(), Setting: settingName(cfgErr.Key)}
	case errors.As(err, &keyErr):
		setting := settingName(config.KeyPrivateKeyFile)
		return Problem{Code: ExitUsage, What: keyErr.Error(), Hint: "check " + setting, Setting: setting}
	case errors.As(err, &cacheDir):
		return Problem{Code: ExitUsage, What: "no token cache directory", Reason: cacheDir.Err.Error(), Hint: "set " + auth.EnvCacheDir + " to an absolute path", Setting: auth.EnvCacheDir}
	case errors.As(err, &insecure):
		return Problem{Code: ExitUsage, What: insecure.Error()}
	// jwtinfo's messages carry their own advice: only token inspect
	// shows them, as text.
	case errors.As(err, &badJWT):
		return Problem{Code: ExitUsage, What: badJWT.Error()}
	case errors.As(err, &unverif):
		return Problem{Code: ExitAuth, What: unverif.Error()}
	case errors.As(err, &keySet) && keySet.NotFound():
		return Problem{Code: ExitNotFound, What: keySet.Error()}
	case errors.As(err, &keySet):
		return Problem{Code: ExitNetwork, What: keySet.Error()}
	case errors.Is(err, context.Canceled):
		return Problem{Code: ExitInterrupted, What: "interrupted"}
	case errors.As(err, &rejected):
		return describeRejection(rejected, env, t)
	case errors.As(err, &apiErr):
		return describeAPIError(apiErr, env, t)
	case errors.As(err, &tooLarge):
		return Problem{Code: ExitNetwork, What: tooLarge.Error(), Hint: "check the API and auth URLs point at PingOne"}
	case errors.As(err, &notSent) && errors.Is(err, context.DeadlineExceeded):
		// No request was in flight: the network is not to blame.
		return Problem{Code: ExitNetwork, What: notSent.Error(), Hint: "p1ctl spent it reading its configuration and token cache, or waiting for another p1ctl's token request; raise --timeout (or P1CTL_TIMEOUT)", Setting: timeoutSetting}
	case errors.Is(err, context.DeadlineExceeded):
		// --timeout ran out (httpx reports it as a network error naming
		// the host). Other timeouts, such as a TLS handshake's or a DNS
		// server's, do not depend on --timeout: describeNetwork takes them.
		host := ""
		if errors.As(err, &netErr) {
			host = netErr.Host
		}
		return describeTimeout(t, host)
	case errors.As(err, &netErr):
		return describeNetwork(netErr, t)
	case errors.As(err, &badResp):
		return Problem{Code: ExitNetwork, What: badResp.Error() + " (" + netpolicy.Host(badResp.TokenURL) + ")", Hint: "check --token-url / --auth-url and the region point at PingOne's token endpoint"}
	case errors.As(err, &link):
		// A server answering with a next link p1ctl cannot follow sent
		// an answer PingOne would not: exit 6, like a malformed answer.
		if link.Loop {
			return Problem{Code: ExitNetwork, What: link.Error(), Hint: "try again later, or with another page size (limit) or filter, and if it persists report it to PingOne support"}
		}
		return Problem{Code: ExitNetwork, What: link.Error(), Hint: apiURLHint, Setting: apiURLSetting}
	case errors.As(err, &paging):
		return Problem{Code: ExitNetwork, What: paging.Error(), Hint: paging.Hint()}
	case errors.As(err, &shape):
		return Problem{Code: ExitNetwork, What: shape.Error(), Hint: apiURLHint, Setting: apiURLSetting}
	case errors.As(err, &redirect):
		return Problem{Code: ExitError, What: redirect.Error()}
	}
	return Problem{Code: ExitError, What: err.Error()}
}

func describeRejection(e *auth.RejectedError, env string, t Target) Problem {
	host := netpolicy.Host(e.TokenURL)
	setting := settingOf(t, host)
	credentials := strings.Replace(credentialsCheck, "that environment", env, 1)
	p := Problem{Code: ExitAuth, Reason: e.Detail()}
	// A --token-url or custom domain's token URL holds no environment ID:
	// a 404 there is about the URL, whatever environment is configured.
	urlOnly := t.EnvironmentID == "" || t.HostFrom[host] == config.KeyTokenURL || t.HostFrom[host] == config.KeyCustomDomain
	switch {
	case e.Status == http.StatusNotFound && urlOnly:
		p.Code, p.What, p.Hint, p.Setting = ExitNotFound, "the token endpoint was not found at "+host, "check "+orDefault(setting, "the token URL"), setting
	case e.Status == http.StatusNotFound && setting != "":
		// --auth-url chose the host: the region played no part.
		p.Code, p.What, p.Hint = ExitNotFound, env+" was not found at "+host, "check PINGONE_ENVIRONMENT_ID (or --environment-id), and "+setting+", which names this host"
	case e.Status == http.StatusNotFound:
		p.Code, p.What, p.Hint = ExitNotFound, env+" was not found at "+host, "check PINGONE_ENVIRONMENT_ID (or --environment-id) and that the region (--region / PINGONE_REGION) is the environment's region"
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		p.Code, p.What, p.Hint = ExitNetwork, "the token endpoint "+host+" is unavailable for "+env, "try again later"+retryHint(e.RetryAfter)
	case e.Code == "invalid_scope":
		p.What, p.Hint, p.Setting = e.Server()+" refused the requested scopes for "+env, "check --scope against the scopes the application is granted on its Resources tab", "--scope"
	case e.Code == "invalid_client" && strings.Contains(strings.ToLower(e.Description), "disabled"):
		p.What, p.Hint = "the application is disabled in "+env, "enable it in the admin console (Applications > the app > toggle)"
	case e.Code == "unauthorized_client":
		// The client authenticated but may not use the grant p1ctl
		// always asks for.
		p.What, p.Hint = "the application may not use the client_credentials grant in "+env, "make it a Worker application, or enable the Client Credentials grant type on its Configuration tab"
	case e.RegisteredMethod() != "":
		// The server said which method the client is registered for.
		p.What = e.Server() + " refused the client authentication method " + orDefault(e.Method, config.AuthClientSecretBasic) + " for " + env
		p.Hint, p.Setting = "the application is registered for "+e.RegisteredMethod()+"; set --auth-method / PINGONE_AUTH_METHOD to it", settingName(config.KeyAuthMethod)
	case e.KeyRefused():
		p.What, p.Hint = e.Server()+" refused the client ID / private key for "+env, "check PINGONE_CLIENT_ID, that the application's JWKS (or JWKS URL) holds the public key of --private-key-file / PINGONE_PRIVATE_KEY_FILE and that --key-id / PINGONE_KEY_ID matches its kid, that the application accepts the key's algorithm (RS256 for RSA keys, ES256/ES384/ES512 for EC keys), and that the application exists in "+env+" and is enabled"
	case e.ClientRejected():
		// PingOne answers a wrong secret with "Unsupported authentication
		// method", which misleads: say plainly what was refused.
		p.What, p.Hint = e.Server()+" refused the client ID / secret pair for "+env, credentials+", and that --auth-method / PINGONE_AUTH_METHOD matches its token auth method"
	default:
		// unsupported_grant_type among others: PingOne supports
		// client_credentials, so most likely this application may not
		// use it.
		p.What, p.Hint = "the token request for "+env+" was rejected", "check that the application is a Worker app or has the client_credentials grant type; "+credentials
	}
	return p
}

func describeAPIError(e *api.Error, env string, t Target) Problem {
	what := orDefault(t.Op, "the request")
	if t.EnvironmentID != "" && !t.NotEnvironment && !strings.Contains(what, t.EnvironmentID) {
		what += " " + t.EnvironmentID
	}
	role := strings.Replace(roleHint, "that environment", env, 1)
	if t.NotEnvironment {
		role = strings.Replace(requestRoleHint, "that environment", env, 1)
	}
	p := Problem{Code: ExitError, What: what + ": PingOne refused the request", Reason: e.Error()}
	switch {
	case e.Status == http.StatusUnauthorized && e.OtherHost:
		// An absolute URL to another host than the API's: not PingOne's
		// refusal, and the token was kept.
		p.Code, p.What, p.Hint = ExitAuth, what+": "+orDefault(netpolicy.Host(e.URL), "the server")+" refused the access token", "it is not the management API host of --api-url / the region, so p1ctl kept its token and did not retry; check the URL, and that this server accepts the application's PingOne tokens"
	case e.Status == http.StatusUnauthorized && e.NewToken:
		// Client.Do already replaced the token once: a fresh one was
		// refused too, so clearing the cache cannot help.
		p.Code, p.What, p.Hint = ExitAuth, "PingOne rejected the access token for "+what, "a newly fetched token was rejected too, so the API refuses this application's tokens: check the token was issued by the same region's auth host as --api-url / the region (p1ctl token inspect shows its issuer), and that the worker application is enabled"
	case e.Status == http.StatusUnauthorized:
		p.Code, p.What, p.Hint = ExitAuth, "PingOne rejected the access token for "+what, "check the token was issued by the same region's auth host as --api-url / the region, then run p1ctl token clear"
	case e.Status == http.StatusForbidden && (t.ForbiddenHint != "" || t.NotEnvironment):
		p.Code, p.What, p.Hint = ExitForbidden, what+": insufficient privileges", orDefault(t.ForbiddenHint, role)
	case e.Status == http.StatusForbidden:
		// PingOne may answer 403 rather than 404 for an environment that
		// does not exist, so a mistyped ID looks like a missing role.
		p.Code, p.What, p.Hint = ExitForbidden, what+": insufficient privileges", role+"; PingOne also answers 403 for some environments that do not exist, so check the environment ID too"
	case e.Status == http.StatusNotFound:
		where := "the region (--region / PINGONE_REGION)"
		if setting := settingFor(t.APIFrom); setting != "" && !e.OtherHost {
			where = setting + ", which names this host"
		}
		p.Code, p.What, p.Hint = ExitNotFound, what+": not found", "check PINGONE_ENVIRONMENT_ID (or the ID given), "+where+", and that the application has a role on "+env
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		p.Code, p.What, p.Hint = ExitNetwork, what+": PingOne is unavailable", "try again later"+retryHint(e.RetryAfter)
	case e.Status == http.StatusBadRequest:
		p.Hint = t.BadRequestHint
	}
	return p
}

func describeNetwork(e *httpx.NetworkError, t Target) Problem {
	const network = "and that your network and firewall allow outbound HTTPS"
	setting := settingOf(t, e.Host)
	p := Problem{Code: ExitNetwork, What: strings.Replace(e.Error(), e.Host, regionNamed(e.Host), 1), Setting: setting}
	var unknownCA x509.UnknownAuthorityError
	switch {
	case errors.As(e.Err, &unknownCA):
		// The server answered: the network is fine, its certificate's
		// issuer is not one this machine trusts.
		p.Hint = "if a proxy or a local server (such as p1emu --tls) signs with its own CA, point SSL_CERT_FILE at that CA's certificate"
		if setting != "" {
			p.Hint = "check " + setting + ", which names this host, and " + p.Hint
		}
	case isLoopback(e.Host) && setting != "":
		// Nothing leaves the machine (plain HTTP is allowed only here):
		// no network, firewall or TLS to check, but the server itself.
		p.Hint = "check " + setting + ", which names this host, and " + localServerCheck
	case isLoopback(e.Host):
		p.Hint = "check " + localServerCheck
	case setting != "":
		// An explicit URL or custom domain decided the host: the region
		// played no part.
		p.Hint = "check " + setting + ", which names this host, " + network
	case t.EnvironmentID != "":
		p.Hint = regionCheck + " match environment " + t.EnvironmentID + ", " + network
	default:
		p.Hint = regionCheck + ", " + network
	}
	return p
}

// settingOf names the flag and environment variable that decided host, as
// "--custom-domain / PINGONE_CUSTOM_DOMAIN", when it was a setting other
// than the region; otherwise "".
func settingOf(t Target, host string) string { return settingFor(t.HostFrom[host]) }

// settingFor names the flag and environment variable of key, unless it is
// the region or unset: then "".
func settingFor(key string) string {
	if key == config.KeyRegion {
		return ""
	}
	return settingName(key)
}

// settingName names the flag and environment variable of key, as
// "--auth-url / PINGONE_AUTH_URL"; "" for no key.
func settingName(key string) string {
	k, _ := config.LookupKey(key)
	names := k.Env[:min(1, len(k.Env))]
	if k.Flag != "" {
		names = append([]string{"--" + k.Flag}, names...)
	}
	return strings.Join(names, " / ")
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
func describeTimeout(t Target, host string) Problem {
	p := Problem{Code: ExitNetwork, What: orDefault(t.Op, "the request") + " timed out after --timeout", Hint: timeoutHint, Setting: timeoutSetting}
	switch {
	case host != "" && isLoopback(host):
		p.What, p.Hint = p.What+" waiting for "+host, localTimeoutHint
	case host != "":
		p.What, p.Hint = p.What+" waiting for "+regionNamed(host), timeoutHint+" to it"
	}
	return p
}

// regionNamed adds the region to a PingOne host, as in
// "auth.pingone.eu (region EU)".
func regionNamed(host string) string {
	if r, ok := config.RegionForHost(stripPort(host)); ok {
		return host + " (region " + r.Code + ")"
	}
	return host
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
