package cmdutil_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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

// TestDescribe checks each part of the Problem for its key facts: what
// failed, the server's reason (status, code, correlation ID), the advice
// and the setting it names.
func TestDescribe(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		what     []string // facts What must hold
		reason   []string // facts Reason must hold: the server's words
		hint     []string // facts Hint must hold
		setting  string   // Setting, exactly
		notWant  []string // in no part of the message
	}{
		// Usage errors.
		{
			name:     "config error names flag and env var",
			err:      &config.Error{Key: config.KeyEnvironmentID, Problem: `environment ID "x" is not a UUID`},
			wantCode: cmdutil.ExitUsage,
			what:     []string{`environment ID "x" is not a UUID`},
			hint:     []string{"--environment-id", "PINGONE_ENVIRONMENT_ID"},
			setting:  "--environment-id / PINGONE_ENVIRONMENT_ID",
		},
		{
			name:     "wrapped config error",
			err:      fmt.Errorf("loading settings: %w", &config.Error{Key: config.KeyClientID, Problem: "no client ID is configured"}),
			wantCode: cmdutil.ExitUsage,
			what:     []string{"no client ID is configured"},
			hint:     []string{"--client-id", "PINGONE_CLIENT_ID"},
			setting:  "--client-id / PINGONE_CLIENT_ID",
		},
		{
			name:     "config file error with a cause and its own hint",
			err:      &config.Error{Problem: "cannot read config file /c.yaml", Err: errors.New("permission denied"), Hint: "fix its permissions or set P1CTL_CONFIG"},
			wantCode: cmdutil.ExitUsage,
			what:     []string{"/c.yaml", "permission denied"},
			hint:     []string{"P1CTL_CONFIG"},
		},
		{
			name:     "no token cache directory",
			err:      &auth.CacheDirError{Err: errors.New(`P1CTL_CACHE_DIR "c" is not an absolute path`)},
			wantCode: cmdutil.ExitUsage,
			what:     []string{"no token cache directory"},
			reason:   []string{`P1CTL_CACHE_DIR "c" is not an absolute path`},
			hint:     []string{"P1CTL_CACHE_DIR", "absolute path"},
			setting:  "P1CTL_CACHE_DIR",
		},
		{
			name:     "flag error",
			err:      &cmdutil.FlagError{Err: errors.New("unknown flag: --bogus"), Help: "p1ctl token"},
			wantCode: cmdutil.ExitUsage,
			what:     []string{"unknown flag: --bogus", "p1ctl token --help"},
		},
		{
			name:     "FlagErrorf",
			err:      cmdutil.FlagErrorf("accepts %d arg(s), received %d", 1, 2),
			wantCode: cmdutil.ExitUsage,
			what:     []string{"accepts 1 arg(s), received 2", "(see --help)"},
		},
		{
			name:     "key error",
			err:      &auth.KeyError{File: "/keys/k.pem", Err: errors.New("no PEM block found")},
			wantCode: cmdutil.ExitUsage,
			what:     []string{"/keys/k.pem", "no PEM block found"},
			hint:     []string{"--private-key-file", "PINGONE_PRIVATE_KEY_FILE"},
			setting:  "--private-key-file / PINGONE_PRIVATE_KEY_FILE",
		},
		{
			name:     "insecure URL",
			err:      &url.Error{Op: "Post", URL: "http://auth.example.com/as/token", Err: &httpx.InsecureURLError{URL: "http://auth.example.com"}},
			wantCode: cmdutil.ExitUsage,
			what:     []string{"http://auth.example.com", "HTTPS is required"},
		},

		// Token endpoint rejections.
		{
			name: "invalid_client 401",
			err: target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client",
				Description: "Request denied: Unsupported authentication method", CorrelationID: corr}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"refused the client ID / secret pair", "environment " + envID},
			reason:   []string{"HTTP 401 invalid_client", "Unsupported authentication method", "[correlation ID " + corr + "]"},
			hint:     []string{"PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET", "--auth-method"},
		},
		{
			name:     "invalid_client 400",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "invalid_client", Description: "Request denied"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"refused the client ID / secret pair"},
			reason:   []string{"HTTP 400 invalid_client: Request denied"},
			hint:     []string{"PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET"},
		},
		{
			name:     "unauthorized_client",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "unauthorized_client", Description: "grant type not allowed"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"client_credentials grant", "environment " + envID},
			reason:   []string{"unauthorized_client: grant type not allowed"},
			hint:     []string{"Worker application", "Client Credentials grant type"},
			notWant:  []string{"secret pair"},
		},
		{
			name:     "private_key_jwt client refused",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client", Method: config.AuthPrivateKeyJWT}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"private key", "environment " + envID},
			reason:   []string{"HTTP 401 invalid_client"},
			hint:     []string{"--private-key-file", "--key-id", "JWKS"},
			notWant:  []string{"CLIENT_SECRET"},
		},
		{
			name:     "invalid_client without a target",
			err:      &auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client"},
			wantCode: cmdutil.ExitAuth,
			what:     []string{"for the application's environment"},
			hint:     []string{"exists in the application's environment", "PINGONE_CLIENT_SECRET"},
			notWant:  []string{"(none configured)"},
		},
		{
			// A custom domain or --token-url without an environment ID:
			// the host names the environment.
			name: "invalid_client at a token URL without an environment ID",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 401, Code: "invalid_client"},
				cmdutil.Target{Host: "login.example.com", Op: "the token request"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"for the environment at login.example.com"},
			hint:     []string{"exists in the environment at login.example.com"},
			notWant:  []string{"in the application at", "(none configured)"},
		},
		{
			name: "404 from a token URL without an environment ID",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 404, Code: "NOT_FOUND"},
				cmdutil.TargetFor(customDomainSettings(), "", "the token request")),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"token endpoint", "login.example.com"},
			reason:   []string{"HTTP 404"},
			hint:     []string{"--custom-domain / PINGONE_CUSTOM_DOMAIN"},
			setting:  "--custom-domain / PINGONE_CUSTOM_DOMAIN",
			notWant:  []string{"the environment at login.example.com was not found", "PINGONE_ENVIRONMENT_ID"},
		},
		{
			name:     "disabled application",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client", Description: "The application is Disabled"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"disabled", "environment " + envID},
			reason:   []string{"The application is Disabled"},
			hint:     []string{"enable it"},
			notWant:  []string{"secret pair"},
		},
		{
			name:     "invalid_scope",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "invalid_scope", Description: "At least one scope must be granted"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"scopes", envID},
			reason:   []string{"invalid_scope: At least one scope must be granted"},
			hint:     []string{"--scope", "Resources tab"},
			setting:  "--scope",
		},
		{
			name:     "unsupported grant type",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 400, Code: "unsupported_grant_type"}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"rejected", "environment " + envID},
			reason:   []string{"HTTP 400 unsupported_grant_type"},
			hint:     []string{"Worker app", "client_credentials", "PINGONE_CLIENT_ID"},
		},
		{
			name:     "token 404",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 404, PingOneCode: "NOT_FOUND", CorrelationID: corr, PingOneDetail: "The requested resource was not found."}),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"environment " + envID + " was not found at auth.pingone.com"},
			reason:   []string{"NOT_FOUND", "[correlation ID " + corr + "]"},
			hint:     []string{"PINGONE_ENVIRONMENT_ID", "--region"},
		},
		{
			// --auth-url, not the region, chose the host the environment
			// was looked up on.
			name: "token 404 at an --auth-url host",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://auth.example.com/" + envID + "/as/token", Status: 404, PingOneCode: "NOT_FOUND"},
				cmdutil.TargetFor(&config.Settings{TokenURL: "https://auth.example.com/" + envID + "/as/token", TokenURLFrom: config.KeyAuthURL,
					APIURL: "https://api.pingone.com/v1", APIURLFrom: config.KeyRegion, Region: config.Region{Code: "NA"}}, envID, "the token request")),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"environment " + envID, "auth.example.com"},
			hint:     []string{"PINGONE_ENVIRONMENT_ID", "--auth-url / PINGONE_AUTH_URL"},
			notWant:  []string{"region"},
		},
		{
			// The environment ID is no part of a --token-url: the URL
			// itself is what was not found.
			name: "token 404 at a --token-url",
			err: cmdutil.WithTarget(&auth.RejectedError{TokenURL: "https://login.example.com/as/token", Status: 404},
				cmdutil.TargetFor(&config.Settings{TokenURL: "https://login.example.com/as/token", TokenURLFrom: config.KeyTokenURL, Region: config.Region{Code: "NA"}}, envID, "the token request")),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"token endpoint", "login.example.com"},
			hint:     []string{"--token-url / PINGONE_TOKEN_URL"},
			setting:  "--token-url / PINGONE_TOKEN_URL",
			notWant:  []string{"region", "environment " + envID + " was not found"},
		},
		{
			name:     "token 503 with Retry-After",
			err:      target(&auth.RejectedError{TokenURL: tokenURL, Status: 503, RetryAfter: "30", Snippet: "<html>Service Unavailable</html>"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"auth.pingone.com is unavailable"},
			reason:   []string{"HTTP 503", "Service Unavailable"},
			hint:     []string{"try again later", "wait 30s"},
		},
		{
			name:     "token 429",
			err:      &auth.RejectedError{TokenURL: tokenURL, Status: 429},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"unavailable"},
			reason:   []string{"HTTP 429"},
			hint:     []string{"try again later"},
			notWant:  []string{"wait"},
		},
		{
			name:     "token endpoint answer unusable",
			err:      &auth.ResponseError{TokenURL: tokenURL, Err: errors.New("cannot parse json: invalid character '<'")},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"unusable answer from the token endpoint", "auth.pingone.com", "invalid character"},
			hint:     []string{"--token-url"},
		},

		// Management API errors.
		{
			name:     "API 401",
			err:      target(&api.Error{Status: 401, Method: "GET", URL: apiURL, Code: "ACCESS_FAILED", Message: "The access token is invalid", Details: []api.ErrorDetail{{Code: "INVALID_TOKEN"}}}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"rejected the access token", "reading environment " + envID},
			reason:   []string{"ACCESS_FAILED/INVALID_TOKEN"},
			hint:     []string{"p1ctl token clear"},
		},
		{
			// Client.Do already retried with a newly fetched token:
			// clearing the cache cannot help.
			name:     "API 401 to a new token",
			err:      target(&api.Error{Status: 401, Method: "GET", URL: apiURL, Code: "ACCESS_FAILED", Message: "The access token is invalid", Details: []api.ErrorDetail{{Code: "INVALID_TOKEN"}}, NewToken: true}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"rejected the access token", "reading environment " + envID},
			reason:   []string{"HTTP 401 ACCESS_FAILED/INVALID_TOKEN"},
			hint:     []string{"newly fetched token", "--api-url / the region", "worker application is enabled"},
			notWant:  []string{"token clear"},
		},
		{
			// p1ctl api https://other.example/x: not PingOne's refusal,
			// and the token was kept.
			name: "401 from another host",
			err: cmdutil.WithTarget(&api.Error{Status: 401, Method: "GET", URL: "https://other.example:8443/x?y=1", Snippet: "denied", OtherHost: true},
				cmdutil.Target{EnvironmentID: envID, Op: "GET https://other.example:8443/x", NotEnvironment: true}),
			wantCode: cmdutil.ExitAuth,
			what:     []string{"GET https://other.example:8443/x", "other.example:8443 refused the access token"},
			reason:   []string{"HTTP 401", "body starts: denied"},
			hint:     []string{"kept its token", "check the URL"},
			notWant:  []string{"token clear", "PingOne rejected", envID},
		},
		{
			name: "API 403",
			err: target(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "You do not have access to this resource.", CorrelationID: corr,
				Details: []api.ErrorDetail{{Code: "INSUFFICIENT_PERMISSIONS", Message: "Actor does not have permissions"}}}),
			wantCode: cmdutil.ExitForbidden,
			what:     []string{"insufficient privileges", "reading environment " + envID},
			reason:   []string{"INSUFFICIENT_PERMISSIONS", "[correlation ID " + corr + "]"},
			hint:     []string{"role", "Environment Admin", "environment " + envID, "check the environment ID too"},
		},
		{
			name: "API 403 with its own hint",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true, ForbiddenHint: "grant a role that can read environments"}),
			wantCode: cmdutil.ExitForbidden,
			what:     []string{"listing environments", "insufficient privileges"},
			reason:   []string{"HTTP 403 ACCESS_FAILED: no access"},
			hint:     []string{"grant a role that can read environments"},
			notWant:  []string{envID, "check the environment ID"},
		},
		{
			name: "API 400 with a hint",
			err: cmdutil.WithTarget(&api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad filter"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true, BadRequestHint: "check --filter"}),
			wantCode: cmdutil.ExitError,
			what:     []string{"listing environments", "refused the request"},
			reason:   []string{"HTTP 400 INVALID_DATA: bad filter"},
			hint:     []string{"--filter"},
		},
		{
			name: "API 400 without a hint",
			err: cmdutil.WithTarget(&api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true}),
			wantCode: cmdutil.ExitError,
			what:     []string{"listing environments", "refused the request"},
			reason:   []string{"HTTP 400"},
			notWant:  []string{"check"},
		},
		{
			// Only a 400 is the user's request: a hint about it does
			// not fit another refusal.
			name: "API 409 with a 400 hint",
			err: cmdutil.WithTarget(&api.Error{Status: 409, Code: "CONFLICT"},
				cmdutil.Target{EnvironmentID: envID, Op: "listing environments", NotEnvironment: true, BadRequestHint: "check --filter"}),
			wantCode: cmdutil.ExitError,
			reason:   []string{"HTTP 409 CONFLICT"},
			notWant:  []string{"--filter"},
		},
		{
			// p1ctl api /environments/ID/users: a role allowing the
			// request, not one reading the environment; the ID is in Op.
			name: "API 403 for a resource other than the environment",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "GET /environments/" + envID + "/users", NotEnvironment: true}),
			wantCode: cmdutil.ExitForbidden,
			what:     []string{"GET /environments/" + envID + "/users: insufficient privileges"},
			hint:     []string{"a role whose permissions allow this request on environment " + envID},
			notWant:  []string{"Configuration Read Only", "users " + envID, "check the environment ID"},
		},
		{
			// p1ctl api /users: the configured environment is named in the
			// hint only, not appended to the request.
			name: "API 403 for a path without an environment",
			err: cmdutil.WithTarget(&api.Error{Status: 403, Code: "ACCESS_FAILED", Message: "no access"},
				cmdutil.Target{EnvironmentID: envID, Op: "GET /users", NotEnvironment: true}),
			wantCode: cmdutil.ExitForbidden,
			what:     []string{"GET /users", "insufficient privileges"},
			hint:     []string{"on environment " + envID},
			notWant:  []string{"GET /users " + envID, "(none configured)", "Configuration Read Only"},
		},
		{
			name:     "API 404",
			err:      target(&api.Error{Status: 404, Code: "NOT_FOUND", Message: "Unable to find environment with ID: '" + envID + "'"}),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"reading environment " + envID, "not found"},
			reason:   []string{"NOT_FOUND: Unable to find environment"},
			hint:     []string{"PINGONE_ENVIRONMENT_ID", "--region"},
		},
		{
			name: "API 404 from an --api-url host",
			err: cmdutil.WithTarget(&api.Error{Status: 404, Code: "NOT_FOUND", URL: "https://api.example.com/v1/environments/" + envID},
				cmdutil.TargetFor(customDomainSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNotFound,
			what:     []string{"reading environment " + envID, "not found"},
			hint:     []string{"PINGONE_ENVIRONMENT_ID", "--api-url / PINGONE_API_URL"},
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
			hint:     []string{"--api-url / PINGONE_API_URL"},
			notWant:  []string{"--auth-url", "region"},
		},
		{
			name:     "API 429",
			err:      target(&api.Error{Status: 429, Code: "REQUEST_LIMITED", RetryAfter: "12"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"PingOne is unavailable"},
			reason:   []string{"REQUEST_LIMITED"},
			hint:     []string{"wait 12s"},
		},
		{
			name:     "API 503 with an HTTP-date Retry-After",
			err:      target(&api.Error{Status: 503, RetryAfter: "Sun, 06 Dec 2020 10:42:07 GMT"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"PingOne is unavailable"},
			hint:     []string{"wait until 2020-12-06 10:42:07 UTC"},
			notWant:  []string{"GMT"},
		},
		{
			name:     "API 429 with an unusable Retry-After",
			err:      target(&api.Error{Status: 429, RetryAfter: "-5"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"PingOne is unavailable"},
			hint:     []string{"try again later"},
			notWant:  []string{"-5s", "asked to wait"},
		},
		{
			name:     "page over its size",
			err:      target(&api.PagingError{URL: "https://api.pingone.com/v1/environments?cursor=x", Kind: api.PagingOverSize, Reason: "the page carries 9 items but its size says 2"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"cursor=x", "carries 9 items but its size says 2"},
			hint:     []string{"--api-url"},
		},
		{
			name:     "collection past the cap",
			err:      target(&api.PagingError{URL: "https://api.pingone.com/v1/environments?cursor=y", Kind: api.PagingTooLong, Reason: "the server still links to a next page after 100000 items"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"after 100000 items"},
			hint:     []string{"filter"},
			notWant:  []string{"--timeout"},
		},
		{
			name:     "API 500",
			err:      target(&api.Error{Status: 500, Code: "UNEXPECTED_ERROR", Message: "An unexpected error occurred."}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"PingOne is unavailable"},
			reason:   []string{"UNEXPECTED_ERROR"},
			hint:     []string{"try again later"},
		},
		{
			name:     "API 502 HTML",
			err:      target(&api.Error{Status: 502, Snippet: api.Snippet(nil, []byte("<html>\n<head><title>502 Bad Gateway</title></head>\n</html>"))}),
			wantCode: cmdutil.ExitNetwork,
			reason:   []string{"HTTP 502", "body starts: <html> <head><title>502 Bad Gateway"},
		},
		{
			name:     "API 400",
			err:      &api.Error{Status: 400, Code: "INVALID_DATA", Message: "bad"},
			wantCode: cmdutil.ExitError,
			what:     []string{"the request: PingOne refused the request"},
			reason:   []string{"INVALID_DATA"},
		},
		{
			name:     "shape error",
			err:      target(&api.ShapeError{Status: 200, URL: apiURL, Snippet: `{"id":`, Err: errors.New(`no "id" field`)}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"unexpected answer from " + apiURL},
			hint:     []string{"--api-url"},
			setting:  "--api-url / PINGONE_API_URL",
		},
		{
			name:     "next link to another host",
			err:      target(&api.LinkError{URL: apiURL + "s", Next: "https://evil.example.com/v1/environments?cursor=2", Reason: "it points at https://evil.example.com, not https://api.pingone.com"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"next-page link of " + apiURL + "s", "evil.example.com"},
			hint:     []string{"--api-url", "PingOne's management API"},
			setting:  "--api-url / PINGONE_API_URL",
			notWant:  []string{"loops"},
		},
		{
			name:     "next link with user info",
			err:      &api.LinkError{URL: apiURL + "s", Next: "https://u:p@api.pingone.com/v1/environments?cursor=2", Reason: "it carries a user name or password"},
			wantCode: cmdutil.ExitNetwork,
			hint:     []string{"--api-url"},
			setting:  "--api-url / PINGONE_API_URL",
		},
		{
			// A repeated cursor on the same host: the server's paging
			// loops, which --api-url has nothing to do with.
			name:     "next link repeating a page",
			err:      target(&api.LinkError{URL: apiURL + "s?cursor=a", Next: "/v1/environments?cursor=a", Loop: true, Reason: "it repeats a page already fetched (cursor a); the server's paging loops"}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"repeats a page already fetched", "paging loops"},
			hint:     []string{"try again later", "page size (limit) or filter", "PingOne support"},
			notWant:  []string{"--api-url"},
		},

		// Network.
		{
			name:     "network error for the EU auth host",
			err:      target(&url.Error{Op: "Post", URL: "https://auth.pingone.eu/x/as/token", Err: dialRefused("auth.pingone.eu")}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"auth.pingone.eu (region EU)", "connection refused"},
			hint:     []string{"--region", "PINGONE_REGION", "environment " + envID},
		},
		{
			name:     "network error with a port",
			err:      dialRefused("api.pingone.com.au:443"),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"api.pingone.com.au:443 (region AU)"},
			hint:     []string{"--region / PINGONE_REGION", "--root-domain / PINGONE_ROOT_DOMAIN", "firewall"},
			notWant:  []string{"(none configured)", "match environment"},
		},
		{
			// The region plays no part when a custom domain names the host.
			name:     "network error for a custom domain",
			err:      cmdutil.WithTarget(dialRefused("login.example.com"), cmdutil.TargetFor(customDomainSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"login.example.com"},
			hint:     []string{"--custom-domain / PINGONE_CUSTOM_DOMAIN", "firewall"},
			setting:  "--custom-domain / PINGONE_CUSTOM_DOMAIN",
			notWant:  []string{"--region", "--root-domain"},
		},
		{
			name:     "network error for an explicit API URL",
			err:      cmdutil.WithTarget(dialRefused("api.example.com"), cmdutil.TargetFor(customDomainSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNetwork,
			hint:     []string{"--api-url / PINGONE_API_URL"},
			setting:  "--api-url / PINGONE_API_URL",
			notWant:  []string{"--region", "--custom-domain"},
		},
		{
			// Nothing leaves the machine: no outbound HTTPS or firewall
			// to check, but the local server and the setting naming it.
			name:     "network error for a plain-HTTP loopback URL",
			err:      cmdutil.WithTarget(dialRefused("127.0.0.1:8080"), cmdutil.TargetFor(loopbackSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"127.0.0.1:8080"},
			hint:     []string{"--auth-url / PINGONE_AUTH_URL", "running"},
			setting:  "--auth-url / PINGONE_AUTH_URL",
			notWant:  []string{"HTTPS", "TLS", "certificate", "firewall", "--region"},
		},
		{
			name:     "network error for localhost without a target",
			err:      dialRefused("localhost:9"),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"localhost:9"},
			hint:     []string{"running"},
			notWant:  []string{"HTTPS", "TLS", "certificate", "firewall"},
		},
		{
			name:     "network error for IPv6 loopback",
			err:      dialRefused("[::1]:8080"),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"[::1]:8080"},
			hint:     []string{"running"},
			notWant:  []string{"HTTPS", "firewall"},
		},
		{
			name:     "timeout waiting for a loopback host",
			err:      cmdutil.WithTarget(&httpx.NetworkError{Host: "127.0.0.1:8081", Err: context.DeadlineExceeded}, cmdutil.TargetFor(loopbackSettings(), envID, "reading environment")),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"timed out", "127.0.0.1:8081"},
			hint:     []string{"--timeout"},
			setting:  "--timeout / P1CTL_TIMEOUT",
			notWant:  []string{"HTTPS", "firewall"},
		},
		{
			name:     "network error for the region's host under TargetFor",
			err:      cmdutil.WithTarget(dialRefused("auth.pingone.eu"), cmdutil.TargetFor(regionSettings(), envID, "the token request")),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"auth.pingone.eu (region EU)"},
			hint:     []string{"--region / PINGONE_REGION", "environment " + envID},
		},
		{
			name:     "network error for a non-PingOne host",
			err:      dialRefused("auth.example.com"),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"auth.example.com", "connection refused"},
			notWant:  []string{"(region"},
		},
		{
			// A proxy or p1emu --tls with its own CA: the network is fine.
			name:     "certificate from an unknown CA",
			err:      &httpx.NetworkError{Host: "127.0.0.1:8443", Err: &url.Error{Op: "Post", URL: "https://127.0.0.1:8443/as/token", Err: x509.UnknownAuthorityError{}}},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"127.0.0.1:8443"},
			hint:     []string{"SSL_CERT_FILE"},
			notWant:  []string{"firewall", "is running"},
		},
		{
			name:     "network timeout",
			err:      &httpx.NetworkError{Host: "auth.pingone.ca", Err: context.DeadlineExceeded},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"the request timed out", "auth.pingone.ca (region CA)"},
			hint:     []string{"--timeout", "P1CTL_TIMEOUT"},
			setting:  "--timeout / P1CTL_TIMEOUT",
			notWant:  []string{"check the region"},
		},
		{
			// httpx reports --timeout running out as a network error: it
			// must still point at --timeout.
			name:     "network timeout with a target",
			err:      target(&url.Error{Op: "Get", URL: apiURL, Err: &httpx.NetworkError{Host: "api.pingone.com", Err: fmt.Errorf("reading: %w", context.DeadlineExceeded)}}),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"reading environment timed out", "api.pingone.com (region NA)"},
			hint:     []string{"--timeout", "network and firewall"},
			notWant:  []string{"cannot reach", "check the region"},
			setting:  "--timeout / P1CTL_TIMEOUT",
		},
		{
			// A timeout of its own (a TLS handshake's, a DNS server's) does
			// not depend on --timeout, so raising it is not the advice.
			name:     "network timeout that is not --timeout",
			err:      &httpx.NetworkError{Host: "api.pingone.eu", Err: &net.OpError{Op: "read", Net: "tcp", Err: timeoutError{}}},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"cannot reach api.pingone.eu (region EU)"},
			hint:     []string{"--region"},
			notWant:  []string{"--timeout"},
		},
		{
			name:     "response too large",
			err:      &httpx.TooLargeError{Host: "api.pingone.com", Limit: 10 << 20},
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"api.pingone.com", "10 MiB"},
			hint:     []string{"point at PingOne"},
		},
		{
			name:     "deadline exceeded",
			err:      target(fmt.Errorf("reading: %w", context.DeadlineExceeded)),
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"reading environment timed out"},
			hint:     []string{"--timeout"},
			setting:  "--timeout / P1CTL_TIMEOUT",
		},
		{
			name:     "bare deadline exceeded",
			err:      context.DeadlineExceeded,
			wantCode: cmdutil.ExitNetwork,
			what:     []string{"the request timed out"},
			hint:     []string{"--timeout"},
			setting:  "--timeout / P1CTL_TIMEOUT",
		},
		{
			name:     "canceled",
			err:      fmt.Errorf("wrapped: %w", context.Canceled),
			wantCode: cmdutil.ExitInterrupted,
			what:     []string{"interrupted"},
		},
		{
			name:     "redirect refused",
			err:      &url.Error{Op: "Get", URL: apiURL, Err: &httpx.RedirectError{From: "api.pingone.com", To: "evil.example.com"}},
			wantCode: cmdutil.ExitError,
			what:     []string{"redirect", "api.pingone.com", "evil.example.com"},
		},

		// Others.
		{
			name:     "unknown error",
			err:      errors.New("something odd"),
			wantCode: cmdutil.ExitError,
			what:     []string{"something odd"},
		},
		{
			name:     "unknown error with a target",
			err:      target(errors.New("something odd")),
			wantCode: cmdutil.ExitError,
			what:     []string{"something odd"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := cmdutil.Describe(tt.err)
			msg := p.String()
			if p.Code != tt.wantCode {
				t.Errorf("code = %d, want %d (message %q)", p.Code, tt.wantCode, msg)
			}
			if p.What == "" {
				t.Fatalf("no What: %+v", p)
			}
			if strings.ContainsAny(msg, "\r\n") || strings.HasPrefix(msg, "p1ctl: ") {
				t.Errorf("message is not one line without the p1ctl: prefix: %q", msg)
			}
			// The advice is in Hint alone, and the one line holds every part.
			if p.Hint != "" && strings.Contains(p.Detail(), p.Hint) {
				t.Errorf("Detail %q holds the hint %q", p.Detail(), p.Hint)
			}
			for _, part := range []string{p.What, p.Reason, p.Hint} {
				if !strings.Contains(msg, part) {
					t.Errorf("message %q lacks %q", msg, part)
				}
			}
			if p.Setting != tt.setting {
				t.Errorf("Setting = %q, want %q", p.Setting, tt.setting)
			}
			if p.Setting != "" && !slices.ContainsFunc(strings.Split(p.Setting, " / "), func(name string) bool { return strings.Contains(p.Hint, name) }) {
				t.Errorf("Hint %q does not name the setting %q", p.Hint, p.Setting)
			}
			for _, part := range []struct {
				name, got string
				want      []string
			}{{"What", p.What, tt.what}, {"Reason", p.Reason, tt.reason}, {"Hint", p.Hint, tt.hint}} {
				for _, w := range part.want {
					if !strings.Contains(part.got, w) {
						t.Errorf("%s %q lacks %q", part.name, part.got, w)
					}
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

// The one line puts each part in its place.
func TestProblemString(t *testing.T) {
	tests := []struct {
		p    cmdutil.Problem
		want string
	}{
		{cmdutil.Problem{What: "w", Reason: "r", Hint: "h"}, "w (r): h"},
		{cmdutil.Problem{What: "w", Hint: "h"}, "w: h"},
		{cmdutil.Problem{What: "w", Reason: "r"}, "w (r)"},
		{cmdutil.Problem{}, ""},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestDescribeSilent(t *testing.T) {
	for _, code := range []int{cmdutil.ExitAuth, cmdutil.ExitNotFound, cmdutil.ExitError} {
		err := fmt.Errorf("already said: %w", &cmdutil.SilentError{Code: code})
		p := cmdutil.Describe(err)
		if p.Code != code || p.String() != "" {
			t.Errorf("SilentError{%d}: Describe = %+v", code, p)
		}
	}
}

// A cancelled request reaches Describe as a *httpx.NetworkError wrapping
// context.Canceled (the transport wraps every failure): it is still an
// interruption, not a network problem.
func TestDescribeCanceledRequest(t *testing.T) {
	err := target(&url.Error{Op: "Get", URL: apiURL, Err: &httpx.NetworkError{Host: "api.pingone.com", Err: context.Canceled}})
	p := cmdutil.Describe(err)
	if p.Code != cmdutil.ExitInterrupted || p.String() != "interrupted" {
		t.Errorf("Describe = %+v; want %d, \"interrupted\"", p, cmdutil.ExitInterrupted)
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
	p := cmdutil.Describe(err)
	if p.Code != cmdutil.ExitUsage || strings.Contains(p.String(), "\n") {
		t.Errorf("Describe = %+v", p)
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
