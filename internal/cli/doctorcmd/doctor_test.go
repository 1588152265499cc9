package doctorcmd

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, fx *fixture)
		// exit is the expected exit code.
		exit int
		// want maps check names to their expected status; unlisted checks
		// must pass.
		want map[string]Status
		// detail and hint map check names to substrings.
		detail map[string]string
		hint   map[string]string
		// notHint maps check names to substrings their hint must lack.
		notHint map[string]string
		// setting maps check names to the setting they name, exactly.
		setting map[string]string
	}{
		{
			name: "all pass",
		},
		{
			name: "config error",
			setup: func(t *testing.T, fx *fixture) {
				fx.settingsErr = &config.Error{Key: config.KeyRegion, Problem: `unknown region "mars"`}
			},
			exit:    cmdutil.ExitUsage,
			want:    map[string]Status{CheckConfiguration: StatusFail, CheckAuthHost: StatusSkip, CheckAPIHost: StatusSkip, CheckToken: StatusSkip, CheckClaims: StatusSkip, CheckRoles: StatusSkip, CheckTarget: StatusSkip},
			detail:  map[string]string{CheckConfiguration: `unknown region "mars"`},
			hint:    map[string]string{CheckConfiguration: "set --region, PINGONE_REGION"},
			setting: map[string]string{CheckConfiguration: "--region / PINGONE_REGION"},
		},
		{
			name: "missing secret",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.ClientSecret = ""
				delete(fx.settings.Values, config.KeyClientSecret)
			},
			exit:    cmdutil.ExitUsage,
			want:    allSkippedAfter(CheckConfiguration),
			detail:  map[string]string{CheckConfiguration: "no client secret is configured"},
			hint:    map[string]string{CheckConfiguration: "PINGONE_CLIENT_SECRET"},
			setting: map[string]string{CheckConfiguration: "PINGONE_CLIENT_SECRET"},
		},
		{
			name: "no environment ID with a custom domain: the token's env claim",
			setup: func(t *testing.T, fx *fixture) {
				setEnvironmentID(fx.settings, "")
				useCustomDomain(fx.settings)
			},
			want: map[string]Status{CheckConfiguration: StatusWarn},
			detail: map[string]string{
				CheckConfiguration: "no environment ID is configured; the token URL (from custom-domain) does not need one, so the Roles and Target environment checks use the token's env claim",
				CheckRoles:         "1 role assignment (environment " + testEnvID + ", from the token's env claim)",
				CheckTarget:        testEnvID + ` "Administrators" (PRODUCTION, region NA) can be read; no environment ID is configured, so doctor read the token's environment (its env claim)`,
			},
			hint: map[string]string{CheckConfiguration: "set --environment-id, PINGONE_ENVIRONMENT_ID"},
		},
		{
			name: "no environment ID with a custom domain and --target",
			setup: func(t *testing.T, fx *fixture) {
				setEnvironmentID(fx.settings, "")
				useCustomDomain(fx.settings)
				fx.target = otherEnvID
				fx.api.bodies["/environments/"+otherEnvID] = `{"id":"` + otherEnvID + `","name":"Staging","type":"SANDBOX","region":"NA"}`
			},
			want: map[string]Status{CheckConfiguration: StatusWarn},
			detail: map[string]string{
				CheckConfiguration: "use the token's env claim (for the roles) and --target",
				CheckRoles:         "(environment " + testEnvID + ", from the token's env claim)",
				CheckTarget:        otherEnvID + ` "Staging" (SANDBOX, region NA) can be read`,
			},
		},
		{
			name: "no environment ID and no env claim: --target holds the roles",
			setup: func(t *testing.T, fx *fixture) {
				setEnvironmentID(fx.settings, "")
				useCustomDomain(fx.settings)
				withoutEnvClaim(t, fx)
				fx.target = testEnvID
			},
			want: map[string]Status{CheckConfiguration: StatusWarn, CheckClaims: StatusWarn},
			detail: map[string]string{
				CheckRoles: "1 role assignment (environment " + testEnvID + ", from --target)",
			},
		},
		{
			name: "no environment ID, no env claim, no --target",
			setup: func(t *testing.T, fx *fixture) {
				setEnvironmentID(fx.settings, "")
				useCustomDomain(fx.settings)
				withoutEnvClaim(t, fx)
			},
			exit:   cmdutil.ExitUsage,
			want:   map[string]Status{CheckConfiguration: StatusWarn, CheckClaims: StatusWarn, CheckRoles: StatusWarn, CheckTarget: StatusFail},
			detail: map[string]string{CheckRoles: "cannot be listed", CheckTarget: "no environment to read"},
			hint:   map[string]string{CheckTarget: "PINGONE_ENVIRONMENT_ID or \"environment-id\" in the config profile, or give --target"},
		},
		{
			name: "no environment ID: a refused secret names the custom domain",
			setup: func(t *testing.T, fx *fixture) {
				setEnvironmentID(fx.settings, "")
				useCustomDomain(fx.settings)
				fx.tokens.err = &auth.RejectedError{Status: 401, Code: "invalid_client"}
			},
			exit: cmdutil.ExitAuth,
			want: func() map[string]Status {
				m := allSkippedAfter(CheckToken)
				m[CheckConfiguration] = StatusWarn
				return m
			}(),
			hint: map[string]string{CheckToken: "exists in the environment of auth.example.com and is enabled"},
		},
		{
			name: "configured environment differs from the token's, forbidden",
			setup: func(t *testing.T, fx *fixture) {
				useCustomDomain(fx.settings)
				setEnvironmentID(fx.settings, otherEnvID)
				fx.api.errs["/environments/"+otherEnvID] = forbidden()
			},
			exit: cmdutil.ExitUsage,
			want: map[string]Status{CheckClaims: StatusWarn, CheckTarget: StatusFail},
			detail: map[string]string{
				CheckRoles:  "1 role assignment (environment " + testEnvID + ", from the token's env claim, not the configured " + otherEnvID + ")",
				CheckTarget: "the application may not read environment " + otherEnvID,
			},
			hint:    map[string]string{CheckTarget: facts(testEnvID, "PINGONE_ENVIRONMENT_ID", "--environment-id", "--custom-domain")},
			notHint: map[string]string{CheckTarget: "--region"},
		},
		{
			name: "configured environment differs from the token's, not found",
			setup: func(t *testing.T, fx *fixture) {
				useCustomDomain(fx.settings)
				setEnvironmentID(fx.settings, otherEnvID)
			},
			exit: cmdutil.ExitUsage,
			want: map[string]Status{CheckClaims: StatusWarn, CheckTarget: StatusFail},
			hint: map[string]string{CheckTarget: facts(testEnvID, "PINGONE_ENVIRONMENT_ID")},
		},
		{
			name: "environment differs from the token's, but --target asks for another",
			setup: func(t *testing.T, fx *fixture) {
				useCustomDomain(fx.settings)
				setEnvironmentID(fx.settings, otherEnvID)
				fx.target = otherEnvID
				fx.api.errs["/environments/"+otherEnvID] = forbidden()
			},
			exit: cmdutil.ExitForbidden,
			want: map[string]Status{CheckClaims: StatusWarn, CheckTarget: StatusFail},
			hint: map[string]string{CheckTarget: "grant the application a role that can read environment " + otherEnvID},
		},
		{
			name: "bad runtime variable",
			setup: func(t *testing.T, fx *fixture) {
				fx.runtimeErr = &config.Error{Problem: `timeout "abc" is not a positive duration`, Hint: "set --timeout or P1CTL_TIMEOUT to e.g. 30s or 2m"}
			},
			exit:   cmdutil.ExitUsage,
			want:   allSkippedAfter(CheckConfiguration),
			detail: map[string]string{CheckConfiguration: `timeout "abc" is not a positive duration`},
			hint:   map[string]string{CheckConfiguration: "set --timeout or P1CTL_TIMEOUT"},
		},
		{
			name:   "bad P1CTL_MIN_TTL only warns",
			setup:  func(t *testing.T, fx *fixture) { fx.minTTL = "abc" },
			want:   map[string]Status{CheckConfiguration: StatusWarn},
			detail: map[string]string{CheckConfiguration: `P1CTL_MIN_TTL: minimum token lifetime "abc" is not a duration`},
			hint:   map[string]string{CheckConfiguration: "set P1CTL_MIN_TTL to e.g. 60s or 30m, or unset it"},
		},
		{
			name: "overridden settings warn",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.Values[config.KeyAuthURL] = "https://auth.pingone.com"
				fx.settings.Sources[config.KeyAuthURL] = config.Source{Kind: config.FromEnv, Name: "PINGONE_AUTH_URL"}
				fx.settings.Values[config.KeyCustomDomain] = "auth.example.com"
				fx.settings.Sources[config.KeyCustomDomain] = config.Source{Kind: config.FromEnv, Name: "PINGONE_CUSTOM_DOMAIN"}
				fx.settings.TokenURLFrom = config.KeyAuthURL
				fx.settings.Ignored = map[string]string{config.KeyCustomDomain: config.KeyAuthURL}
			},
			want:   map[string]Status{CheckConfiguration: StatusWarn},
			detail: map[string]string{CheckConfiguration: facts("PINGONE_CUSTOM_DOMAIN", "ignored", "PINGONE_AUTH_URL")},
		},
		{
			name: "auth host does not resolve",
			setup: func(t *testing.T, fx *fixture) {
				fx.probes["auth.pingone.com"] = ProbeResult{Host: "auth.pingone.com", Port: "443", Stage: StageDNS, Err: &net.DNSError{Err: "no such host", Name: "auth.pingone.com", IsNotFound: true}}
			},
			exit: cmdutil.ExitNetwork,
			// The API host is still checked: the host checks run together.
			want:   map[string]Status{CheckAuthHost: StatusFail, CheckAPIHost: StatusPass, CheckToken: StatusSkip, CheckClaims: StatusSkip, CheckRoles: StatusSkip, CheckTarget: StatusSkip},
			detail: map[string]string{CheckAuthHost: facts("auth.pingone.com", "not found", "DNS"), CheckAPIHost: facts("api.pingone.com", "resolves", "TLS 1.3")},
			hint:   map[string]string{CheckAuthHost: facts("DNS", "--region", "PINGONE_REGION", "--root-domain", "PINGONE_ROOT_DOMAIN", "default NA")},
		},
		{
			name: "custom domain does not resolve",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.CustomDomain = "auth.example.com"
				fx.settings.Values[config.KeyCustomDomain] = "auth.example.com"
				fx.settings.Sources[config.KeyCustomDomain] = config.Source{Kind: config.FromFlag, Name: "custom-domain"}
				fx.settings.TokenURL = "https://auth.example.com/as/token"
				fx.settings.TokenURLFrom = config.KeyCustomDomain
				fx.probes["auth.example.com"] = ProbeResult{Host: "auth.example.com", Port: "443", Stage: StageDNS, Err: &net.DNSError{IsNotFound: true}}
			},
			exit:   cmdutil.ExitNetwork,
			want:   map[string]Status{CheckAuthHost: StatusFail, CheckToken: StatusSkip, CheckClaims: StatusSkip, CheckRoles: StatusSkip, CheckTarget: StatusSkip},
			detail: map[string]string{CheckAuthHost: facts("auth.example.com", "custom domain", "not found")},
			hint:   map[string]string{CheckAuthHost: "check --custom-domain / PINGONE_CUSTOM_DOMAIN (from flag --custom-domain)"},
		},
		{
			name: "both hosts fail: both are reported, with the auth host's exit status",
			setup: func(t *testing.T, fx *fixture) {
				fx.probes["auth.pingone.com"] = ProbeResult{Host: "auth.pingone.com", Port: "443", Stage: StageTLS, Err: x509.UnknownAuthorityError{}}
				fx.probes["api.pingone.com"] = ProbeResult{Host: "api.pingone.com", Port: "443", Stage: StageConnect, Err: &net.OpError{Op: "dial", Err: errors.New("connect: connection refused")}}
			},
			exit:   cmdutil.ExitNetwork,
			want:   map[string]Status{CheckAuthHost: StatusFail, CheckAPIHost: StatusFail, CheckToken: StatusSkip, CheckClaims: StatusSkip, CheckRoles: StatusSkip, CheckTarget: StatusSkip},
			detail: map[string]string{CheckAuthHost: "TLS certificate not trusted", CheckAPIHost: "connection refused"},
		},
		{
			name: "root domain decides neither host",
			setup: func(t *testing.T, fx *fixture) {
				s := fx.settings
				s.Region, s.RegionFrom = config.Regions[2], config.KeyRootDomain
				s.TokenURLFrom, s.APIURLFrom = config.KeyAuthURL, config.KeyAPIURL
				s.Values[config.KeyRootDomain] = "pingone.ca"
				s.Sources[config.KeyRootDomain] = config.Source{Kind: config.FromProfile, Name: "ca", File: "config.yaml"}
				s.Values[config.KeyAuthURL] = "https://auth.pingone.com"
				s.Sources[config.KeyAuthURL] = config.Source{Kind: config.FromEnv, Name: "PINGONE_AUTH_URL"}
				s.Values[config.KeyAPIURL] = "https://api.pingone.com/v1"
				s.Sources[config.KeyAPIURL] = config.Source{Kind: config.FromEnv, Name: "PINGONE_API_URL"}
			},
			want:   map[string]Status{CheckConfiguration: StatusWarn},
			detail: map[string]string{CheckConfiguration: facts("root-domain", `profile "ca"`, "ignored", "PINGONE_AUTH_URL", "PINGONE_API_URL")},
		},
		{
			name: "API host refuses connections",
			setup: func(t *testing.T, fx *fixture) {
				fx.probes["api.pingone.com"] = ProbeResult{Host: "api.pingone.com", Port: "443", Stage: StageConnect, Err: &net.OpError{Op: "dial", Err: errors.New("connect: connection refused")}}
			},
			exit:   cmdutil.ExitNetwork,
			want:   map[string]Status{CheckAPIHost: StatusFail, CheckToken: StatusSkip, CheckClaims: StatusSkip, CheckRoles: StatusSkip, CheckTarget: StatusSkip},
			detail: map[string]string{CheckAPIHost: "api.pingone.com (region NA): connection failed: connect: connection refused"},
			hint:   map[string]string{CheckAPIHost: "firewall allows outbound HTTPS"},
		},
		{
			name: "auth and API hosts in different regions",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.TokenURL = "https://auth.pingone.eu/" + testEnvID + "/as/token"
				fx.settings.Values[config.KeyAuthURL] = "https://auth.pingone.eu"
			},
			want:   map[string]Status{CheckAPIHost: StatusWarn},
			detail: map[string]string{CheckAuthHost: "auth.pingone.eu (region EU)", CheckAPIHost: "the auth host is in region EU"},
		},
		{
			name: "wrong secret",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &auth.RejectedError{TokenURL: testTokenURL, Status: 401, Code: "invalid_client", Description: "Request denied: Unsupported authentication method"}
			},
			exit:   cmdutil.ExitAuth,
			want:   allSkippedAfter(CheckToken),
			detail: map[string]string{CheckToken: facts("HTTP 401 invalid_client", "Unsupported authentication method")},
			hint:   map[string]string{CheckToken: facts(testEnvID, "enabled", "CLIENT_SECRET_BASIC")},
		},
		{
			name: "wrong private key",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.AuthMethod = config.AuthPrivateKeyJWT
				fx.settings.PrivateKeyFile = "key.pem"
				fx.tokens.err = &auth.RejectedError{TokenURL: testTokenURL, Status: 401, Code: "invalid_client"}
			},
			exit:   cmdutil.ExitAuth,
			want:   allSkippedAfter(CheckToken),
			detail: map[string]string{CheckToken: "PingOne refused the client ID / private key (HTTP 401 invalid_client"},
			hint:   map[string]string{CheckToken: "the private key (--private-key-file / PINGONE_PRIVATE_KEY_FILE)"},
		},
		{
			name: "disabled application",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &auth.RejectedError{Status: 401, Code: "invalid_client", Description: "Request denied: The application is disabled"}
			},
			exit:   cmdutil.ExitAuth,
			want:   allSkippedAfter(CheckToken),
			detail: map[string]string{CheckToken: "application " + testClientID + " is disabled"},
			hint:   map[string]string{CheckToken: "enable it"},
		},
		{
			// The fix names neither a setting nor a verb doctor knew:
			// it must still be the hint, not part of the detail.
			name: "application may not use the grant",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &auth.RejectedError{Status: 400, Code: "unauthorized_client", Description: "grant type not allowed"}
			},
			exit:    cmdutil.ExitAuth,
			want:    allSkippedAfter(CheckToken),
			detail:  map[string]string{CheckToken: "HTTP 400 unauthorized_client: grant type not allowed"},
			hint:    map[string]string{CheckToken: "Worker application"},
			notHint: map[string]string{CheckToken: "unauthorized_client"},
		},
		{
			name: "unknown environment at the token endpoint",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &auth.RejectedError{Status: 404, PingOneCode: "NOT_FOUND"}
			},
			exit:   cmdutil.ExitNotFound,
			want:   allSkippedAfter(CheckToken),
			detail: map[string]string{CheckToken: "environment " + testEnvID + " was not found at auth.pingone.com"},
			hint:   map[string]string{CheckToken: facts("PINGONE_ENVIRONMENT_ID", "--environment-id")},
		},
		{
			name: "unknown environment at an auth URL",
			setup: func(t *testing.T, fx *fixture) {
				fx.settings.TokenURLFrom = config.KeyAuthURL
				fx.settings.Values[config.KeyAuthURL] = "https://auth.pingone.com"
				fx.settings.Sources[config.KeyAuthURL] = config.Source{Kind: config.FromEnv, Name: "PINGONE_AUTH_URL"}
				fx.tokens.err = &auth.RejectedError{Status: 404, PingOneCode: "NOT_FOUND"}
			},
			exit:    cmdutil.ExitNotFound,
			want:    allSkippedAfter(CheckToken),
			hint:    map[string]string{CheckToken: facts("PINGONE_ENVIRONMENT_ID", "--environment-id", "--auth-url", "PINGONE_AUTH_URL")},
			notHint: map[string]string{CheckToken: "--region"},
		},
		{
			name: "not found at a custom domain",
			setup: func(t *testing.T, fx *fixture) {
				useCustomDomain(fx.settings)
				fx.tokens.err = &auth.RejectedError{Status: 404, PingOneCode: "NOT_FOUND"}
			},
			exit:    cmdutil.ExitNotFound,
			want:    allSkippedAfter(CheckToken),
			hint:    map[string]string{CheckToken: facts("--custom-domain", "PINGONE_CUSTOM_DOMAIN", "DNS")},
			notHint: map[string]string{CheckToken: "--region"},
		},
		{
			name: "token request timed out",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &httpx.NetworkError{Host: "auth.pingone.com", Err: context.DeadlineExceeded}
			},
			exit:    cmdutil.ExitNetwork,
			want:    allSkippedAfter(CheckToken),
			detail:  map[string]string{CheckToken: "the token request timed out after --timeout waiting for auth.pingone.com (region NA)"},
			setting: map[string]string{CheckToken: "--timeout / P1CTL_TIMEOUT"},
			hint:    map[string]string{CheckToken: "raise --timeout (or P1CTL_TIMEOUT), e.g. --timeout 2m"},
		},
		{
			name: "token endpoint unreachable",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &httpx.NetworkError{Host: "auth.pingone.com", Err: errors.New("connection reset")}
			},
			exit:   cmdutil.ExitNetwork,
			want:   allSkippedAfter(CheckToken),
			detail: map[string]string{CheckToken: "cannot reach auth.pingone.com (region NA): connection reset"},
			hint:   map[string]string{CheckToken: "check the region and root domain"},
		},
		{
			// The region played no part in choosing the host: the hint
			// names the setting that did, as token get's message does.
			name: "custom domain unreachable for the token request",
			setup: func(t *testing.T, fx *fixture) {
				useCustomDomain(fx.settings)
				fx.tokens.err = &httpx.NetworkError{Host: "auth.example.com", Err: errors.New("connection reset")}
			},
			exit:    cmdutil.ExitNetwork,
			want:    allSkippedAfter(CheckToken),
			detail:  map[string]string{CheckToken: "cannot reach auth.example.com: connection reset"},
			hint:    map[string]string{CheckToken: "check --custom-domain / PINGONE_CUSTOM_DOMAIN, which names this host"},
			notHint: map[string]string{CheckToken: "--region"},
			setting: map[string]string{CheckToken: "--custom-domain / PINGONE_CUSTOM_DOMAIN"},
		},
		{
			name: "unusable private key",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokenErr = &auth.KeyError{File: "key.pem", Err: errors.New("not PEM")}
			},
			exit:    cmdutil.ExitUsage,
			want:    allSkippedAfter(CheckToken),
			detail:  map[string]string{CheckToken: "key.pem"},
			setting: map[string]string{CheckToken: "--private-key-file / PINGONE_PRIVATE_KEY_FILE"},
		},
		{
			name:   "opaque token",
			setup:  func(t *testing.T, fx *fixture) { fx.tokens.tok.AccessToken = "opaque-token-value" },
			want:   map[string]Status{CheckClaims: StatusWarn},
			detail: map[string]string{CheckClaims: "the access token is not a JWT"},
		},
		{
			name: "token for another client and environment",
			setup: func(t *testing.T, fx *fixture) {
				c := goodClaims()
				c["client_id"] = "a397c6e6-5f60-4cf8-ab19-56b42d0df1e6"
				c["env"] = otherEnvID
				fx.tokens.tok.AccessToken = signJWT(t, c)
			},
			want: map[string]Status{CheckClaims: StatusWarn, CheckRoles: StatusWarn},
			detail: map[string]string{
				CheckClaims: "the token is for client a397c6e6-5f60-4cf8-ab19-56b42d0df1e6, not the configured " + testClientID + "; the token is for environment " + otherEnvID,
				CheckRoles:  "is not an application in environment " + otherEnvID + " (HTTP 404 NOT_FOUND: no " + rolesPath(otherEnvID) + ") (the environment from the token's env claim, not the configured " + testEnvID + ")",
			},
		},
		{
			name: "clock skew",
			setup: func(t *testing.T, fx *fixture) {
				c := goodClaims()
				c["iat"] = testNow.Add(-10 * 60e9).Unix()
				fx.tokens.tok.AccessToken = signJWT(t, c)
			},
			want:   map[string]Status{CheckClaims: StatusWarn},
			detail: map[string]string{CheckClaims: "clock differs from PingOne's by about 10m0s"},
			hint:   map[string]string{CheckClaims: "NTP"},
		},
		{
			name: "roles forbidden, environment forbidden",
			setup: func(t *testing.T, fx *fixture) {
				fx.api.errs[rolesPath(testEnvID)] = forbidden()
				fx.api.errs["/environments/"+testEnvID] = forbidden()
			},
			exit:   cmdutil.ExitForbidden,
			want:   map[string]Status{CheckRoles: StatusWarn, CheckTarget: StatusFail},
			detail: map[string]string{CheckRoles: "may not read its own role assignments", CheckTarget: facts("no role", "could not be read")},
			hint:   map[string]string{CheckTarget: "grant the application a role that can read environment " + testEnvID},
		},
		{
			name:   "application not in the environment",
			setup:  func(t *testing.T, fx *fixture) { fx.api.errs[rolesPath(testEnvID)] = notFound("application") },
			want:   map[string]Status{CheckRoles: StatusWarn},
			detail: map[string]string{CheckRoles: "client ID " + testClientID + " is not an application in environment " + testEnvID},
		},
		{
			name:   "no role assignments",
			setup:  func(t *testing.T, fx *fixture) { fx.api.bodies[rolesPath(testEnvID)] = assignments() },
			want:   map[string]Status{CheckRoles: StatusWarn},
			detail: map[string]string{CheckRoles: "has no role assignments"},
		},
		{
			name: "roles unavailable",
			setup: func(t *testing.T, fx *fixture) {
				fx.api.errs[rolesPath(testEnvID)] = &api.Error{Status: http.StatusInternalServerError, Code: "UNEXPECTED_ERROR"}
			},
			exit:   cmdutil.ExitNetwork,
			want:   map[string]Status{CheckRoles: StatusFail, CheckTarget: StatusSkip},
			detail: map[string]string{CheckRoles: facts(testEnvID, "HTTP 500")},
			hint:   map[string]string{CheckRoles: "try again later"},
		},
		{
			name: "target without a role",
			setup: func(t *testing.T, fx *fixture) {
				fx.target = otherEnvID
				fx.api.errs["/environments/"+otherEnvID] = forbidden()
			},
			exit:   cmdutil.ExitForbidden,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: facts("no role", "organization", "environment "+testEnvID)},
			hint:   map[string]string{CheckTarget: "Applications > the application > Roles > Grant Roles"},
		},
		{
			name: "role that cannot read environments",
			setup: func(t *testing.T, fx *fixture) {
				fx.api.bodies[rolesPath(testEnvID)] = assignments([3]string{idAdminID, ScopeEnvironment, testEnvID})
				fx.api.errs["/environments/"+testEnvID] = forbidden()
			},
			exit:   cmdutil.ExitForbidden,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: "its roles there (Identity Data Admin) cannot read the environment itself"},
		},
		{
			name:   "unknown target",
			setup:  func(t *testing.T, fx *fixture) { fx.target = otherEnvID },
			exit:   cmdutil.ExitNotFound,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: facts("no role", "environment "+testEnvID, "ID is probably wrong")},
			hint:   map[string]string{CheckTarget: "check the ID (--target)"},
		},
		{
			name: "unknown target at an API URL",
			setup: func(t *testing.T, fx *fixture) {
				fx.target = otherEnvID
				fx.settings.APIURLFrom = config.KeyAPIURL
				fx.settings.Values[config.KeyAPIURL] = "https://api.pingone.com/v1"
				fx.settings.Sources[config.KeyAPIURL] = config.Source{Kind: config.FromFlag, Name: "api-url"}
			},
			exit:    cmdutil.ExitNotFound,
			want:    map[string]Status{CheckTarget: StatusFail},
			hint:    map[string]string{CheckTarget: "check the ID (--target) and --api-url / PINGONE_API_URL (from flag --api-url)"},
			notHint: map[string]string{CheckTarget: "--region"},
		},
		{
			name: "unknown target with an organization role",
			setup: func(t *testing.T, fx *fixture) {
				fx.target = otherEnvID
				fx.api.bodies[rolesPath(testEnvID)] = assignments([3]string{orgAdminID, ScopeOrganization, testOrgID})
			},
			exit:   cmdutil.ExitNotFound,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: "organization-wide role and would see it, so the ID is probably wrong"},
		},
		{
			name: "target with a role but not found",
			setup: func(t *testing.T, fx *fixture) {
				fx.target = otherEnvID
				fx.api.bodies[rolesPath(testEnvID)] = assignments([3]string{envAdminID, ScopeEnvironment, otherEnvID})
			},
			exit:   cmdutil.ExitNotFound,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: "although the application has a role on it (Environment Admin)"},
		},
		{
			name: "environment in another region than the API host",
			setup: func(t *testing.T, fx *fixture) {
				fx.api.bodies["/environments/"+testEnvID] = `{"id":"` + testEnvID + `","name":"Admins","type":"PRODUCTION","region":"EU"}`
			},
			want:   map[string]Status{CheckTarget: StatusWarn},
			detail: map[string]string{CheckTarget: "it is in region EU while the API host is in region NA"},
			hint:   map[string]string{CheckTarget: "PINGONE_REGION to EU"},
		},
		{
			name: "API refuses the token",
			setup: func(t *testing.T, fx *fixture) {
				fx.api.errs["/environments/"+testEnvID] = &api.Error{Status: http.StatusUnauthorized, Code: "ACCESS_FAILED"}
			},
			exit:   cmdutil.ExitAuth,
			want:   map[string]Status{CheckTarget: StatusFail},
			detail: map[string]string{CheckTarget: "PingOne rejected the access token for reading environment " + testEnvID},
		},
		{
			name: "role names fall back to IDs",
			setup: func(t *testing.T, fx *fixture) {
				delete(fx.api.bodies, "/roles/"+envAdminID)
			},
			detail: map[string]string{CheckRoles: "1 role assignment"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			if tt.setup != nil {
				tt.setup(t, fx)
			}
			opts, _ := fx.options()
			rep := Run(context.Background(), opts)
			if rep.ExitCode != tt.exit {
				t.Errorf("exit code = %d, want %d", rep.ExitCode, tt.exit)
			}
			got := statuses(rep)
			for _, name := range []string{CheckConfiguration, CheckAuthHost, CheckAPIHost, CheckToken, CheckClaims, CheckRoles, CheckTarget} {
				want, ok := tt.want[name]
				if !ok {
					want = StatusPass
				}
				if got[name] != want {
					t.Errorf("%s: status %s, want %s (detail %q)", name, got[name], want, findCheck(rep, name).Detail)
				}
			}
			for name, subs := range tt.detail {
				for _, sub := range strings.Split(subs, factSep) {
					if d := findCheck(rep, name).Detail; !strings.Contains(d, sub) {
						t.Errorf("%s detail = %q, want it to contain %q", name, d, sub)
					}
				}
			}
			for name, sub := range tt.notHint {
				if h := findCheck(rep, name).Hint; strings.Contains(h, sub) {
					t.Errorf("%s hint = %q, want it without %q", name, h, sub)
				}
			}
			for name, subs := range tt.hint {
				for _, sub := range strings.Split(subs, factSep) {
					if h := findCheck(rep, name).Hint; !strings.Contains(h, sub) {
						t.Errorf("%s hint = %q, want it to contain %q", name, h, sub)
					}
				}
			}
			for _, c := range rep.Checks {
				if c.Setting != tt.setting[c.Name] {
					t.Errorf("%s setting = %q, want %q", c.Name, c.Setting, tt.setting[c.Name])
				}
			}
			// Advice is the hint, never the tail of the detail.
			for _, c := range rep.Checks {
				if c.Status == StatusFail && (c.Hint == "" || strings.Contains(c.Detail, c.Hint)) {
					t.Errorf("%s failed with detail %q and hint %q: want the advice in the hint only", c.Name, c.Detail, c.Hint)
				}
			}
			if len(rep.Checks) != 8 {
				t.Errorf("%d checks, want 8", len(rep.Checks))
			}
		})
	}
}

// factSep separates the facts facts joins: a detail or hint in the
// table must hold each of them, in any wording around them.
const factSep = "\x00"

// facts lists what a check's detail or hint must each name.
func facts(f ...string) string { return strings.Join(f, factSep) }

// allSkippedAfter expects name to fail and every later check to be skipped.
func allSkippedAfter(name string) map[string]Status {
	order := []string{CheckConfiguration, CheckAuthHost, CheckAPIHost, CheckToken, CheckClaims, CheckRoles, CheckTarget}
	m := map[string]Status{}
	after := false
	for _, n := range order {
		switch {
		case n == name:
			m[n] = StatusFail
			after = true
		case after:
			m[n] = StatusSkip
		}
	}
	return m
}

func TestRunAsksForAFreshToken(t *testing.T) {
	fx := newFixture(t)
	opts, _ := fx.options()
	Run(context.Background(), opts)
	if !fx.tokens.opts.NoCache {
		t.Error("token source options: NoCache = false, want true")
	}
}

func TestRolesUseTheConfiguredEnvironmentAndCacheRoleNames(t *testing.T) {
	fx := newFixture(t)
	fx.target = otherEnvID
	fx.api.bodies[rolesPath(testEnvID)] = assignments(
		[3]string{envAdminID, ScopeEnvironment, testEnvID},
		[3]string{envAdminID, ScopeEnvironment, otherEnvID},
	)
	fx.api.bodies["/environments/"+otherEnvID] = `{"id":"` + otherEnvID + `","name":"Staging","type":"SANDBOX","region":"NA"}`
	opts, _ := fx.options()
	rep := Run(context.Background(), opts)
	if rep.ExitCode != 0 {
		t.Fatalf("exit code %d: %+v", rep.ExitCode, rep.Failed())
	}
	roleReads := 0
	for _, p := range fx.api.paths {
		if strings.HasPrefix(p, "/roles/") {
			roleReads++
		}
	}
	if roleReads != 1 {
		t.Errorf("role lookups = %d, want 1 (cached per role ID); paths %v", roleReads, fx.api.paths)
	}
	roles := findCheck(rep, CheckRoles)
	if len(roles.lines) != 2 || !strings.Contains(roles.lines[1], "(covers the target environment)") || strings.Contains(roles.lines[0], "covers") {
		t.Errorf("role lines = %q", roles.lines)
	}
}

func TestRolesFollowPages(t *testing.T) {
	fx := newFixture(t)
	next := "https://api.pingone.com/v1" + rolesPath(testEnvID) + "?cursor=2"
	first := assignments([3]string{envAdminID, ScopeEnvironment, testEnvID})
	first = strings.Replace(first, `{"_embedded"`, `{"_links":{"next":{"href":"`+next+`"}},"_embedded"`, 1)
	fx.api.bodies[rolesPath(testEnvID)] = first
	fx.api.bodies[next] = assignments([3]string{orgAdminID, ScopeOrganization, testOrgID})
	opts, _ := fx.options()
	rep := Run(context.Background(), opts)
	if d := findCheck(rep, CheckRoles).Detail; d != "2 role assignments" {
		t.Errorf("roles detail = %q, want 2 role assignments", d)
	}
}

func TestDoctorRunOutput(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		setup    func(t *testing.T, fx *fixture)
		wantCode int
		want     []string
	}{
		{
			name: "table",
			want: []string{
				"✓  Configuration: ",
				"     client-secret   [REDACTED]  ",
				"✓  Auth host: auth.pingone.com (region NA) resolves (1 address), answers with TLS 1.3 and a trusted certificate\n",
				"✓  Token request: Bearer token from auth.pingone.com (client_secret_basic), valid for 1h0m0s\n",
				"     client_id  " + testClientID + "\n",
				"     exp        2026-03-01T13:00:00Z (in 1h0m0s)\n",
				"     Environment Admin  ENVIRONMENT  " + testEnvID + "  (covers the target environment)\n",
				"✓  Target environment: " + testEnvID + ` "Administrators" (PRODUCTION, region NA) can be read` + "\n",
				"\nAll checks passed.\n",
			},
		},
		{
			name: "failure",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.err = &auth.RejectedError{TokenURL: testTokenURL, Status: 401, Code: "invalid_client", Description: "Unsupported authentication method"}
			},
			wantCode: cmdutil.ExitAuth,
			want: []string{
				"✗  Token request: PingOne refused the client ID / secret pair (HTTP 401 invalid_client: Unsupported authentication method)\n   → check the client ID",
				"-  Token contents: skipped: an earlier check failed\n",
				"\nToken request failed: exit status 3 (see p1ctl help exit-codes)\n",
			},
		},
		{
			name: "warnings",
			setup: func(t *testing.T, fx *fixture) {
				fx.tokens.tok.AccessToken = "opaque"
			},
			want: []string{"!  Token contents: the access token is not a JWT", "\n   → nothing to fix", "\nAll checks passed (1 warning).\n"},
		},
		{
			name: "json",
			args: []string{"-o", "json"},
			want: []string{`"checks": [`, `"name": "Configuration",` + "\n      \"status\": \"pass\"", `"exitCode": 0`, `"value": "[REDACTED]"`},
		},
		{
			name: "json failure",
			args: []string{"-o", "json"},
			setup: func(t *testing.T, fx *fixture) {
				fx.api.errs["/environments/"+testEnvID] = forbidden()
			},
			wantCode: cmdutil.ExitForbidden,
			want:     []string{`"status": "fail"`, `"hint": "grant the application a role`, `"exitCode": 4`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			if tt.setup != nil {
				tt.setup(t, fx)
			}
			opts, out := fx.options()
			f := &cmdutil.Factory{IOStreams: opts.IO}
			cmd := NewCmdDoctor(f, func(o *DoctorOptions) error {
				opts.Output, opts.Target = o.Output, o.Target
				return doctorRun(context.Background(), opts)
			})
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			code := 0
			if err != nil {
				code = cmdutil.Describe(err).Code
			}
			if code != tt.wantCode {
				t.Errorf("exit code %d (err %v), want %d", code, err, tt.wantCode)
			}
			got := out.String()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if strings.Contains(got, testSecret) || strings.Contains(got, fx.tokens.tok.AccessToken) {
				t.Errorf("output contains the secret or the token:\n%s", got)
			}
			if tt.args != nil && tt.args[1] == "json" {
				var rep Report
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, got)
				}
				if len(rep.Checks) != 8 || rep.ExitCode != tt.wantCode {
					t.Errorf("JSON report: %d checks, exit code %d", len(rep.Checks), rep.ExitCode)
				}
			}
		})
	}
}

func TestNewCmdDoctorFlags(t *testing.T) {
	tests := []struct {
		args       []string
		wantOutput output.Format
		wantTarget string
		wantErr    bool
	}{
		{args: nil, wantOutput: "table"},
		{args: []string{"-o", "json", "--target", otherEnvID}, wantOutput: "json", wantTarget: otherEnvID},
		{args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *DoctorOptions
		cmd := NewCmdDoctor(&cmdutil.Factory{IOStreams: ios}, func(o *DoctorOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err = %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err == nil && (got.Output.Format != tt.wantOutput || got.Target != tt.wantTarget) {
			t.Errorf("%v: output %q target %q", tt.args, got.Output.Format, got.Target)
		}
	}
}

func TestDoctorRunRejectsBadTarget(t *testing.T) {
	o := DoctorOptions{Output: export.Options{Format: "table"}, Target: "not-a-uuid"}
	err := doctorRun(context.Background(), &o)
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) {
		t.Errorf("err = %v, want a *cmdutil.FlagError", err)
	}
}

func TestDoctorCompletesOutputFormats(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdDoctor(&cmdutil.Factory{IOStreams: ios}, func(*DoctorOptions) error { return nil })
	complete, ok := cmd.GetFlagCompletionFunc("output")
	if !ok {
		t.Fatal("no completion for --output")
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"table", "json", "yaml"}},
		{"j", []string{"json"}},
		{"xml", nil},
	}
	for _, tt := range tests {
		got, directive := complete(cmd, nil, tt.prefix)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || directive != cobra.ShellCompDirectiveNoFileComp {
			t.Errorf("complete(%q) = %v, %v; want %v, no file completion", tt.prefix, got, directive, tt.want)
		}
	}
}
