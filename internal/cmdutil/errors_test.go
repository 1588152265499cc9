package cmdutil_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/httpx"
)

const (
	envID    = "abcdef01-2345-4678-9abc-def012345678"
	tokenURL = "https://auth.pingone.com/" + envID + "/as/token"
	apiURL   = "https://api.pingone.com/v1/environments/" + envID
	corr     = "c0ffee00-1111-4222-8333-444455556666"
)

func target(err error) error {
	return cmdutil.WithTarget(err, cmdutil.Target{EnvironmentID: envID, Region: "NA", Op: "reading environment"})
}

// customDomainSettings resolves a custom auth domain and an explicit API
// URL, as config.Load would.
func customDomainSettings() *config.Settings {
	return &config.Settings{
		TokenURL: "https://login.example.com/as/token", TokenURLFrom: config.KeyCustomDomain,
		APIURL: "https://api.example.com/v1", APIURLFrom: config.KeyAPIURL,
	}
}

// loopbackSettings resolves a plain-HTTP --auth-url and --api-url on this
// machine, such as a local emulator's.
func loopbackSettings() *config.Settings {
	return &config.Settings{
		TokenURL: "http://127.0.0.1:8080/" + envID + "/as/token", TokenURLFrom: config.KeyAuthURL,
		APIURL: "http://127.0.0.1:8081/v1", APIURLFrom: config.KeyAPIURL,
	}
}

// regionSettings resolves the EU region's hosts.
func regionSettings() *config.Settings {
	s := &config.Settings{
		TokenURL: "https://auth.pingone.eu/" + envID + "/as/token", TokenURLFrom: config.KeyRegion,
		APIURL: "https://api.pingone.eu/v1", APIURLFrom: config.KeyRegion,
	}
	s.Region.Code = "EU"
	return s
}

func dialRefused(host string) error {
	return &httpx.NetworkError{Host: host, Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errors.New("connection refused"))}}
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestDescribe(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		want     []string // phrases the message must hold
		notWant  []string
	}{
		// Usage errors.
		{
			name:     "config error names flag and env var",
			err:      &config.Error{Key: config.KeyEnvironmentID, Problem: `environment ID "x" is not a UUID`},
			wantCode: cmdutil.ExitUsage,
			want:     []string{`environment ID "x" is not a UUID`, "--environment-id", "PINGONE_ENVIRONMENT_ID"},
		},
		{
			name:     "wrapped config error",
			err:      fmt.Errorf("loading settings: %w", &config.Error{Key: config.KeyClientID, Problem: "no client ID is configured"}),
			wantCode: cmdutil.ExitUsage,
			want:     []string{"no client ID is configured", "--client-id", "PINGONE_CLIENT_ID"},
		},
		{
			name:     "no token cache directory",
			err:      &auth.CacheDirError{Err: errors.New(`P1CTL_CACHE_DIR "c" is not an absolute path`)},
			wantCode: cmdutil.ExitUsage,
			want:     []string{`no token cache directory (P1CTL_CACHE_DIR "c" is not an absolute path): set P1CTL_CACHE_DIR to an absolute path`},
		},
		{
			name:     "flag error",
			err:      &cmdutil.FlagError{Err: errors.New("unknown flag: --bogus")},
			wantCode: cmdutil.ExitUsage,
			want:     []string{"unknown flag: --bogus", "--help"},
		},
		{
			name:     "FlagErrorf",
			err:      cmdutil.FlagErrorf("accepts %d arg(s), received %d", 1, 2),
			wantCode: cmdutil.ExitUsage,
			want:     []string{"accepts 1 arg(s), received 2", "(see --help)"},
		},
		{
			name:     "key error",
			err:      &auth.KeyError{File: "/keys/k.pem", Err: errors.New("no PEM block found")},
			wantCode: cmdutil.ExitUsage,
			want:     []string{"/keys/k.pem", "no PEM block found", "--private-key-file", "PINGONE_PRIVATE_KEY_FILE"},
		},
		{
			name:     "insecure URL",
			err:      &url.Error{Op: "Post", URL: "http://auth.example.com/as/token", Err: &httpx.InsecureURLError{URL: "http://auth.example.com"}},
			wantCode: cmdutil.ExitUsage,
			want:     []string{"http://auth.example.com", "HTTPS is required"},
		},

		// Token endpoint rejections.
		{
			name: "invalid_client 401",
			err: target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client",
				Description: "Request denied: Unsupported authentication method", CorrelationID: corr}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"refused the client ID / secret pair", "environment " + envID, "PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET", "HTTP 401 invalid_client", "[correlation ID " + corr + "]"},
		},
		{
			name:     "invalid_client 400",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "invalid_client", Description: "Request denied"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"refused the client ID / secret pair", "PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET"},
		},
		{
			name:     "unauthorized_client",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "unauthorized_client"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"may not use the client_credentials grant in environment " + envID, "Worker application", "Client Credentials grant type"},
			notWant:  []string{"secret pair"},
		},
		{
			name:     "invalid_client without a target",
			err:      &auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client"},
			wantCode: cmdutil.ExitAuth,
			want:     []string{"for the application's environment", "exists in the application's environment", "PINGONE_CLIENT_SECRET"},
			notWant:  []string{"(none configured)"},
		},
		{
			// A custom domain or --token-url without an environment ID:
			// the host names the environment.
			name: "invalid_client at a token URL without an environment ID",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 401, Code: "invalid_client"},
				cmdutil.Target{Host: "login.example.com", Op: "the token request"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"for the environment at login.example.com", "exists in the environment at login.example.com and is enabled"},
			notWant:  []string{"in the application at", "(none configured)"},
		},
		{
			name: "404 from a token URL without an environment ID",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 404, Code: "NOT_FOUND"},
				cmdutil.TargetFor(customDomainSettings(), "", "the token request")),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"the token endpoint was not found at login.example.com", "check --custom-domain / PINGONE_CUSTOM_DOMAIN"},
			notWant:  []string{"the environment at login.example.com was not found", "PINGONE_ENVIRONMENT_ID"},
		},
		{
			name:     "disabled application",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client", Description: "The application is Disabled"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"disabled", "environment " + envID, "enable it"},
			notWant:  []string{"secret pair"},
		},
		{
			name:     "invalid_scope",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "invalid_scope", Description: "At least one scope must be granted"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"scopes", "--scope", envID, "invalid_scope"},
		},
		{
			name:     "unsupported grant type",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "unsupported_grant_type"}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"Worker app", "client_credentials", "PINGONE_CLIENT_ID"},
		},
		{
			name:     "token 404",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 404, PingOneCode: "NOT_FOUND", CorrelationID: corr, PingOneDetail: "The requested resource was not found."}),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"environment " + envID + " was not found at auth.pingone.com", "PINGONE_ENVIRONMENT_ID", "--region", "NOT_FOUND", "[correlation ID " + corr + "]"},
		},
		{
			// --auth-url, not the region, chose the host the environment
			// was looked up on.
			name: "token 404 at an --auth-url host",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://auth.example.com/" + envID + "/as/token", Status: 404, PingOneCode: "NOT_FOUND"},
				cmdutil.TargetFor(&config.Settings{TokenURL: "https://auth.example.com/" + envID + "/as/token", TokenURLFrom: config.KeyAuthURL,
					APIURL: "https://api.pingone.com/v1", APIURLFrom: config.KeyRegion, Region: config.Region{Code: "NA"}}, envID, "the token request")),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"environment " + envID + " was not found at auth.example.com", "PINGONE_ENVIRONMENT_ID", "--auth-url / PINGONE_AUTH_URL"},
			notWant:  []string{"region"},
		},
		{
			// The environment ID is no part of a --token-url: the URL
			// itself is what was not found.
			name: "token 404 at a --token-url",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 404},
				cmdutil.TargetFor(&config.Settings{TokenURL: "https://login.example.com/as/token", TokenURLFrom: config.KeyTokenURL, Region: config.Region{Code: "NA"}}, envID, "the token request")),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"the token endpoint was not found at login.example.com", "--token-url / PINGONE_TOKEN_URL"},
			notWant:  []string{"region", "environment " + envID + " was not found"},
		},
		{
			name:     "token 503 with Retry-After",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 503, RetryAfter: "30", Snippet: "<html>Service Unavailable</html>"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"auth.pingone.com is unavailable", "try again later", "wait 30s", "HTTP 503"},
		},
		{
			name:     "token 429",
			err:      &auth.RejectedError{TokenURL: tokenURL, Status: 429},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"unavailable", "try again later"},
			notWant:  []string{"wait"},
		},
		{
			name:     "token endpoint answer unusable",
			err:      &auth.ResponseError{TokenURL: tokenURL, Err: errors.New("cannot parse json: invalid character '<'")},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"unusable answer from the token endpoint", "auth.pingone.com", "--token-url"},
		},

		// Management API errors.
		{
			name:     "API 401",
			err:      target(&api.Error{Status: 401, Method: "GET", URL: apiURL, Code: "ACCESS_FAILED", Message: "The access token is invalid", Details: []api.ErrorDetail{{Code: "INVALID_TOKEN"}}}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"rejected the access token", "reading environment " + envID, "ACCESS_FAILED/INVALID_TOKEN", "p1ctl token clear"},
		},
		{
			// Client.Do already retried with a newly fetched token:
			// clearing the cache cannot help.
			name:     "API 401 to a new token",
			err:      target(&api.Error{Status: 401, Method: "GET", URL: apiURL, Code: "ACCESS_FAILED", Message: "The access token is invalid", Details: []api.ErrorDetail{{Code: "INVALID_TOKEN"}}, NewToken: true}),
			wantCode: cmdutil.ExitAuth,
			want: []string{"PingOne rejected the access token for reading environment " + envID + " (HTTP 401 ACCESS_FAILED/INVALID_TOKEN", "newly fetched token",
				"same region's auth host as --api-url / the region", "worker application is enabled"},
			notWant: []string{"token clear"},
		},
		{
			// p1ctl api https://other.example/x: not PingOne's refusal,
			// and the token was kept.
			name: "401 from another host",
			err: cmdutil.WithTarget(&api.Error{Status: 401, Method: "GET", URL: "https://other.example:8443/x?y=1", Snippet: "denied", OtherHost: true},
				cmdutil.Target{EnvironmentID: envID, Op: "GET https://other.example:8443/x", NotEnvironment: true}),
			wantCode: cmdutil.ExitAuth,
			want:     []string{"GET https://other.example:8443/x: other.example:8443 refused the access token (HTTP 401; body starts: denied)", "kept its token", "check the URL"},
			notWant:  []string{"token clear", "PingOne rejected", envID},
		},
		{
			name: "API 403",
			err: target(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "You do not have access to this resource.", CorrelationID: corr,
				Details: []api.ErrorDetail{{Code: "INSUFFICIENT_PERMISSIONS", Message: "Actor does not have permissions"}}}),
			wantCode: cmdutil.ExitForbidden,
			want:     []string{"insufficient privileges", "role", "Environment Admin", "environment " + envID, "INSUFFICIENT_PERMISSIONS", "[correlation ID " + corr + "]", "check the environment ID too"},
		},
		{
			name: "API 403 with its own hint",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true, ForbiddenHint: "grant a role that can read environments"}),
			wantCode: cmdutil.ExitForbidden,
			want:     []string{"listing environments: insufficient privileges (HTTP 403 ACCESS_FAILED: no access): grant a role that can read environments"},
			notWant:  []string{envID, "check the environment ID"},
		},
		{
			name: "API 400 with a hint",
			err: cmdutil.WithTarget(&api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad filter"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true, BadRequestHint: "check --filter"}),
			wantCode: cmdutil.ExitError,
			want:     []string{"listing environments: PingOne refused the request (HTTP 400 INVALID_DATA", "): check --filter"},
		},
		{
			name: "API 400 without a hint",
			err: cmdutil.WithTarget(&api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true}),
			wantCode: cmdutil.ExitError,
			want:     []string{"listing environments: PingOne refused the request (HTTP 400"},
			notWant:  []string{"check"},
		},
		{
			// p1ctl api /environments/ID/users: a role allowing the
			// request, not one reading the environment; the ID is in Op.
			name: "API 403 for a resource other than the environment",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "GET /environments/" + envID + "/users", NotEnvironment: true}),
			wantCode: cmdutil.ExitForbidden,
			want:     []string{"GET /environments/" + envID + "/users: insufficient privileges", "a role whose permissions allow this request on environment " + envID},
			notWant:  []string{"Configuration Read Only", "users " + envID, "check the environment ID"},
		},
		{
			// p1ctl api /users: the configured environment is named in the
			// hint only, not appended to the request.
			name: "API 403 for a path without an environment",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "GET /users", NotEnvironment: true}),
			wantCode: cmdutil.ExitForbidden,
			want:     []string{"GET /users: insufficient privileges", "on environment " + envID},
			notWant:  []string{"GET /users " + envID, "(none configured)", "Configuration Read Only"},
		},
		{
			name:     "API 404",
			err:      target(&api.Error{Status: 404, Code: "NOT_FOUND", Message: "Unable to find environment with ID: '" + envID + "'"}),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"reading environment " + envID + ": not found", "PINGONE_ENVIRONMENT_ID", "--region"},
		},
		{
			name: "API 404 from an --api-url host",
			err: cmdutil.WithTarget(&api.Error{Status: 404, Code: "NOT_FOUND", URL: "https://api.example.com/v1/environments/" + envID},
				cmdutil.TargetFor(customDomainSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"reading environment " + envID + ": not found", "PINGONE_ENVIRONMENT_ID", "--api-url / PINGONE_API_URL"},
			notWant:  []string{"region"},
		},
		{
			// One server for both (an emulator): the API's setting is
			// named for an API answer, not the token URL's.
			name: "API 404 from a host the token endpoint shares",
			err: cmdutil.WithTarget(&api.Error{Status: 404, Code: "NOT_FOUND", URL: "http://127.0.0.1:8080/v1/environments/" + envID},
				cmdutil.TargetFor(&config.Settings{TokenURL: "http://127.0.0.1:8080/" + envID + "/as/token", TokenURLFrom: config.KeyAuthURL,
					APIURL: "http://127.0.0.1:8080/v1", APIURLFrom: config.KeyAPIURL}, envID, "reading environment")),
			wantCode: cmdutil.ExitNotFound,
			want:     []string{"--api-url / PINGONE_API_URL"},
			notWant:  []string{"--auth-url", "region"},
		},
		{
			name:     "API 429",
			err:      target(&api.Error{Status: 429, Code: "REQUEST_LIMITED", RetryAfter: "12"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"PingOne is unavailable", "wait 12s", "REQUEST_LIMITED"},
		},
		{
			name:     "API 503 with an HTTP-date Retry-After",
			err:      target(&api.Error{Status: 503, RetryAfter: "Sun, 06 Dec 2020 10:42:07 GMT"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"PingOne is unavailable", "wait until 2020-12-06 10:42:07 UTC"},
			notWant:  []string{"GMT"},
		},
		{
			name:     "API 429 with an unusable Retry-After",
			err:      target(&api.Error{Status: 429, RetryAfter: "-5"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"PingOne is unavailable"},
			notWant:  []string{"-5s", "asked to wait"},
		},
		{
			name:     "page over its size",
			err:      target(&api.PagingError{URL: "https://api.pingone.com/v1/environments?cursor=x", Kind: api.PagingOverSize, Reason: "the page carries 9 items but its size says 2"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cursor=x", "carries 9 items but its size says 2", "--api-url"},
		},
		{
			name:     "collection past the cap",
			err:      target(&api.PagingError{URL: "https://api.pingone.com/v1/environments?cursor=y", Kind: api.PagingTooLong, Reason: "the server still links to a next page after 100000 items"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"after 100000 items", "filter"},
			notWant:  []string{"--timeout"},
		},
		{
			name:     "API 500",
			err:      target(&api.Error{Status: 500, Code: "UNEXPECTED_ERROR", Message: "An unexpected error occurred."}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"PingOne is unavailable", "UNEXPECTED_ERROR", "try again later"},
		},
		{
			name:     "API 502 HTML",
			err:      target(&api.Error{Status: 502, Snippet: api.Snippet(nil, []byte("<html>\n<head><title>502 Bad Gateway</title></head>\n</html>"))}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"HTTP 502", "body starts: <html> <head><title>502 Bad Gateway"},
		},
		{
			name:     "API 400",
			err:      &api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad"},
			wantCode: cmdutil.ExitError,
			want:     []string{"the request: PingOne refused the request", "INVALID_DATA"},
		},
		{
			name:     "shape error",
			err:      target(&api.ShapeError{Status: 200, URL: apiURL, Snippet: `{"id":`, Err: errors.New(`no "id" field`)}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"unexpected answer from " + apiURL, "--api-url"},
		},
		{
			name:     "next link to another host",
			err:      target(&api.LinkError{URL: apiURL + "s", Next: "https://evil.example.com/v1/environments?cursor=2", Reason: "it points at https://evil.example.com, not https://api.pingone.com"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"refused to follow the next-page link of " + apiURL + "s", "evil.example.com", "check --api-url points at PingOne's management API"},
			notWant:  []string{"loops"},
		},
		{
			name:     "next link with user info",
			err:      &api.LinkError{URL: apiURL + "s", Next: "https://u:p@api.pingone.com/v1/environments?cursor=2", Reason: "it carries a user name or password"},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"check --api-url"},
		},
		{
			// A repeated cursor on the same host: the server's paging
			// loops, which --api-url has nothing to do with.
			name:     "next link repeating a page",
			err:      target(&api.LinkError{URL: apiURL + "s?cursor=a", Next: "/v1/environments?cursor=a", Loop: true, Reason: "it repeats a page already fetched (cursor a); the server's paging loops"}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"repeats a page already fetched", "paging loops: try again later, or with another page size (limit) or filter", "PingOne support"},
			notWant:  []string{"--api-url"},
		},

		// Network.
		{
			name:     "network error for the EU auth host",
			err:      target(&url.Error{Op: "Post", URL: "https://auth.pingone.eu/x/as/token", Err: dialRefused("auth.pingone.eu")}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach auth.pingone.eu (region EU)", "connection refused", "--region", "PINGONE_REGION", "environment " + envID},
		},
		{
			name:     "network error with a port",
			err:      dialRefused("api.pingone.com.au:443"),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"api.pingone.com.au:443 (region AU)", "check the region and root domain (--region / PINGONE_REGION, --root-domain / PINGONE_ROOT_DOMAIN), and that"},
			notWant:  []string{"(none configured)", "match environment"},
		},
		{
			// The region plays no part when a custom domain names the host.
			name:     "network error for a custom domain",
			err:      cmdutil.WithTarget(dialRefused("login.example.com"), cmdutil.TargetFor(customDomainSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach login.example.com", "check --custom-domain / PINGONE_CUSTOM_DOMAIN, which names this host, and that your network"},
			notWant:  []string{"--region", "--root-domain"},
		},
		{
			name:     "network error for an explicit API URL",
			err:      cmdutil.WithTarget(dialRefused("api.example.com"), cmdutil.TargetFor(customDomainSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"check --api-url / PINGONE_API_URL, which names this host"},
			notWant:  []string{"--region", "--custom-domain"},
		},
		{
			// Nothing leaves the machine: no outbound HTTPS or firewall
			// to check, but the local server and the setting naming it.
			name:     "network error for a plain-HTTP loopback URL",
			err:      cmdutil.WithTarget(dialRefused("127.0.0.1:8080"), cmdutil.TargetFor(loopbackSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach 127.0.0.1:8080", "--auth-url / PINGONE_AUTH_URL", "running"},
			notWant:  []string{"HTTPS", "TLS", "certificate", "firewall", "--region"},
		},
		{
			name:     "network error for localhost without a target",
			err:      dialRefused("localhost:9"),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach localhost:9", "running"},
			notWant:  []string{"HTTPS", "TLS", "certificate", "firewall"},
		},
		{
			name:     "network error for IPv6 loopback",
			err:      dialRefused("[::1]:8080"),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach [::1]:8080", "running"},
			notWant:  []string{"HTTPS", "firewall"},
		},
		{
			name:     "timeout waiting for a loopback host",
			err:      cmdutil.WithTarget(&httpx.NetworkError{Host: "127.0.0.1:8081", Err: context.DeadlineExceeded}, cmdutil.TargetFor(loopbackSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"timed out after --timeout waiting for 127.0.0.1:8081", "raise --timeout"},
			notWant:  []string{"HTTPS", "firewall"},
		},
		{
			name:     "network error for the region's host under TargetFor",
			err:      cmdutil.WithTarget(dialRefused("auth.pingone.eu"), cmdutil.TargetFor(regionSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach auth.pingone.eu (region EU)", "--region / PINGONE_REGION", "match environment " + envID},
		},
		{
			name:     "network error for a non-PingOne host",
			err:      dialRefused("auth.example.com"),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach auth.example.com: "},
			notWant:  []string{"(region"},
		},
		{
			name:     "network timeout",
			err:      &httpx.NetworkError{Host: "auth.pingone.ca", Err: context.DeadlineExceeded},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"the request timed out after --timeout waiting for auth.pingone.ca (region CA)", "raise --timeout (or P1CTL_TIMEOUT)"},
			notWant:  []string{"check the region"},
		},
		{
			// httpx reports --timeout running out as a network error: it
			// must still point at --timeout.
			name:     "network timeout with a target",
			err:      target(&url.Error{Op: "Get", URL: apiURL, Err: &httpx.NetworkError{Host: "api.pingone.com", Err: fmt.Errorf("reading: %w", context.DeadlineExceeded)}}),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"reading environment timed out after --timeout waiting for api.pingone.com (region NA): raise --timeout", "network and firewall"},
			notWant:  []string{"cannot reach", "check the region"},
		},
		{
			// A timeout of its own (a TLS handshake's, a DNS server's) does
			// not depend on --timeout, so raising it is not the advice.
			name:     "network timeout that is not --timeout",
			err:      &httpx.NetworkError{Host: "api.pingone.eu", Err: &net.OpError{Op: "read", Net: "tcp", Err: timeoutError{}}},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"cannot reach api.pingone.eu (region EU)", "check the region"},
			notWant:  []string{"raise --timeout"},
		},
		{
			name:     "response too large",
			err:      &httpx.TooLargeError{Host: "api.pingone.com", Limit: 10 << 20},
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"api.pingone.com", "10 MiB", "point at PingOne"},
		},
		{
			name:     "deadline exceeded",
			err:      target(fmt.Errorf("reading: %w", context.DeadlineExceeded)),
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"reading environment timed out after --timeout: raise --timeout"},
		},
		{
			name:     "bare deadline exceeded",
			err:      context.DeadlineExceeded,
			wantCode: cmdutil.ExitNetwork,
			want:     []string{"the request timed out"},
		},
		{
			name:     "canceled",
			err:      fmt.Errorf("wrapped: %w", context.Canceled),
			wantCode: cmdutil.ExitInterrupted,
			want:     []string{"interrupted"},
		},
		{
			name:     "redirect refused",
			err:      &url.Error{Op: "Get", URL: apiURL, Err: &httpx.RedirectError{From: "api.pingone.com", To: "evil.example.com"}},
			wantCode: cmdutil.ExitError,
			want:     []string{"refused to follow a redirect from api.pingone.com to evil.example.com"},
		},

		// Others.
		{
			name:     "unknown error",
			err:      errors.New("something odd"),
			wantCode: cmdutil.ExitError,
			want:     []string{"something odd"},
		},
		{
			name:     "unknown error with a target",
			err:      target(errors.New("something odd")),
			wantCode: cmdutil.ExitError,
			want:     []string{"something odd"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := cmdutil.Describe(tt.err)
			if code != tt.wantCode {
				t.Errorf("code = %d, want %d (message %q)", code, tt.wantCode, msg)
			}
			if msg == "" {
				t.Fatal("empty message")
			}
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("message is not one line: %q", msg)
			}
			if strings.HasPrefix(msg, "p1ctl: ") {
				t.Errorf("message carries the p1ctl: prefix: %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("message %q should not contain %q", msg, w)
				}
			}
		})
	}
}

func TestDescribeSilent(t *testing.T) {
	for _, code := range []int{cmdutil.ExitAuth, cmdutil.ExitNotFound, cmdutil.ExitError} {
		err := fmt.Errorf("already said: %w", &cmdutil.SilentError{Code: code})
		got, msg := cmdutil.Describe(err)
		if got != code || msg != "" {
			t.Errorf("SilentError{%d}: Describe = %d, %q", code, got, msg)
		}
	}
}

// A cancelled request reaches Describe as a *httpx.NetworkError wrapping
// context.Canceled (the transport wraps every failure): it is still an
// interruption, not a network problem.
func TestDescribeCanceledRequest(t *testing.T) {
	err := target(&url.Error{Op: "Get", URL: apiURL, Err: &httpx.NetworkError{Host: "api.pingone.com", Err: context.Canceled}})
	code, msg := cmdutil.Describe(err)
	if code != cmdutil.ExitInterrupted || msg != "interrupted" {
		t.Errorf("Describe = %d, %q; want %d, \"interrupted\"", code, msg, cmdutil.ExitInterrupted)
	}
}

// Messages from every error the config loader produces are one line,
// including a config file that yaml.v3 rejects.
func TestDescribeConfigFileErrorOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("profiles:\n  dev: [a, b]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvConfig, path)
	_, err := config.Loader{}.Load()
	code, msg := cmdutil.Describe(err)
	if code != cmdutil.ExitUsage || strings.Contains(msg, "\n") {
		t.Errorf("Describe = %d, %q", code, msg)
	}
}

func TestWithTarget(t *testing.T) {
	if cmdutil.WithTarget(nil, cmdutil.Target{EnvironmentID: envID}) != nil {
		t.Error("WithTarget(nil) != nil")
	}
	inner := errors.New("inner")
	err := cmdutil.WithTarget(inner, cmdutil.Target{EnvironmentID: envID})
	if !errors.Is(err, inner) || err.Error() != "inner" {
		t.Errorf("WithTarget = %v", err)
	}
	var te *cmdutil.TargetError
	if !errors.As(err, &te) || te.EnvironmentID != envID {
		t.Errorf("TargetError = %+v", te)
	}
}
