package doctorcmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/redact"
)

const (
	testClientID = "5b41efba-9307-4181-b0e2-c52a68e3b165"
	testSecret   = "test-secret-never-printed"
	testEnvID    = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
	testOrgID    = "5fa70f81-1e8a-48e7-b444-aa37e1dc248c"
	otherEnvID   = "f13dbf61-38ba-4fd6-abe2-4630b662794a"
	envAdminID   = "81143998-6005-4e02-b024-aef2955bf70d"
	orgAdminID   = "51907270-8291-44e2-a743-d9c9ddb0aa9f"
	idAdminID    = "85932835-9255-4318-a6ca-1c287fb7992d"
	testTokenURL = "https://auth.pingone.com/" + testEnvID + "/as/token"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testSettings returns settings as the loader would resolve them from
// environment variables for region NA.
func testSettings() *config.Settings {
	env := func(name string) config.Source { return config.Source{Kind: config.FromEnv, Name: name} }
	return &config.Settings{
		ClientID:      testClientID,
		ClientSecret:  testSecret,
		EnvironmentID: testEnvID,
		Region:        config.Regions[0],
		AuthBaseURL:   "https://auth.pingone.com",
		TokenURL:      "https://auth.pingone.com/" + testEnvID + "/as/token",
		APIURL:        "https://api.pingone.com/v1",
		TokenURLFrom:  config.KeyRegion,
		APIURLFrom:    config.KeyRegion,
		AuthMethod:    config.AuthClientSecretBasic,
		ConfigFile:    "/nonexistent/p1ctl/config.yaml",
		Values: map[string]string{
			config.KeyClientID:      testClientID,
			config.KeyClientSecret:  testSecret,
			config.KeyEnvironmentID: testEnvID,
		},
		Sources: map[string]config.Source{
			config.KeyClientID:      env("PINGONE_CLIENT_ID"),
			config.KeyClientSecret:  env("PINGONE_CLIENT_SECRET"),
			config.KeyEnvironmentID: env("PINGONE_ENVIRONMENT_ID"),
		},
	}
}

// useCustomDomain makes the token URL a custom domain's, which holds no
// environment ID.
func useCustomDomain(s *config.Settings) {
	s.CustomDomain = "auth.example.com"
	s.Values[config.KeyCustomDomain] = "auth.example.com"
	s.Sources[config.KeyCustomDomain] = config.Source{Kind: config.FromEnv, Name: "PINGONE_CUSTOM_DOMAIN"}
	s.TokenURL = "https://auth.example.com/as/token"
	s.TokenURLFrom = config.KeyCustomDomain
}

// setValue records that setting key has value, from src.
func setValue(s *config.Settings, key, value string, src config.Source) {
	s.Values[key] = value
	s.Sources[key] = src
}

// setEnvironmentID sets the configured environment ID; "" unsets it.
func setEnvironmentID(s *config.Settings, id string) {
	s.EnvironmentID = id
	if id == "" {
		delete(s.Values, config.KeyEnvironmentID)
		delete(s.Sources, config.KeyEnvironmentID)
		return
	}
	s.Values[config.KeyEnvironmentID] = id
}

// withoutEnvClaim re-signs the fixture's token without an env claim.
func withoutEnvClaim(t *testing.T, fx *fixture) {
	c := goodClaims()
	delete(c, "env")
	fx.tokens.tok.AccessToken = signJWT(t, c)
}

// signJWT returns an HS256 JWT carrying claims.
func signJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: testSigningKey()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// goodClaims are the claims of a worker token for the test client.
func goodClaims() map[string]any {
	return map[string]any{
		"client_id": testClientID,
		"iss":       "https://auth.pingone.com/" + testEnvID + "/as",
		"aud":       []string{"https://api.pingone.com"},
		"scope":     "",
		"env":       testEnvID,
		"org":       testOrgID,
		"iat":       testNow.Unix(),
		"exp":       testNow.Add(time.Hour).Unix(),
	}
}

// fakeTokens is a token source handing out one token or one error.
type fakeTokens struct {
	tok  *auth.Token
	err  error
	opts cmdutil.TokenOptions
}

func (f *fakeTokens) Token(context.Context) (*auth.Token, error) { return f.tok, f.err }

func (f *fakeTokens) AccessToken(ctx context.Context) (string, error) {
	tok, err := f.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

func (f *fakeTokens) Invalidate(context.Context, string) error { return nil }

// fakeAPI answers paths from bodies or errs; anything else is a 404.
type fakeAPI struct {
	bodies map[string]string
	errs   map[string]error
	paths  []string
}

func (f *fakeAPI) GetJSON(_ context.Context, path string, v any) ([]byte, error) {
	f.paths = append(f.paths, path)
	if err, ok := f.errs[path]; ok {
		return nil, err
	}
	body, ok := f.bodies[path]
	if !ok {
		return nil, &api.Error{Status: http.StatusNotFound, Code: "NOT_FOUND", Message: "no " + path}
	}
	return []byte(body), json.Unmarshal([]byte(body), v)
}

func (f *fakeAPI) GetEnvironment(ctx context.Context, id string) (*api.Environment, error) {
	var env api.Environment
	raw, err := f.GetJSON(ctx, "/environments/"+id, &env)
	if err != nil {
		return nil, err
	}
	env.Raw = raw
	return &env, nil
}

func rolesPath(envID string) string {
	return "/environments/" + envID + "/applications/" + testClientID + "/roleAssignments"
}

// assignments encodes role assignments as PingOne lists them; each is
// role ID, scope type, scope ID.
func assignments(items ...[3]string) string {
	var list []map[string]any
	for i, it := range items {
		list = append(list, map[string]any{
			"id":    "0000000" + string(rune('0'+i)) + "-0000-4000-8000-000000000000",
			"role":  map[string]string{"id": it[0]},
			"scope": map[string]string{"type": it[1], "id": it[2]},
		})
	}
	b, _ := json.Marshal(map[string]any{"_embedded": map[string]any{"roleAssignments": list}})
	return string(b)
}

func forbidden() error {
	return &api.Error{Status: http.StatusForbidden, Code: "ACCESS_FAILED", Message: "You do not have access to this resource.",
		Details: []api.ErrorDetail{{Code: "INSUFFICIENT_PERMISSIONS"}}}
}

func notFound(what string) error {
	return &api.Error{Status: http.StatusNotFound, Code: "NOT_FOUND", Message: "Unable to find " + what}
}

// fixture is everything a doctor run talks to, all fake.
type fixture struct {
	settings    *config.Settings
	settingsErr error
	tokens      *fakeTokens
	tokenErr    error
	api         *fakeAPI
	probes      map[string]ProbeResult
	target      string
	runtimeErr  error
	minTTL      string
}

func newFixture(t *testing.T) *fixture {
	return &fixture{
		settings: testSettings(),
		tokens: &fakeTokens{tok: &auth.Token{
			AccessToken: signJWT(t, goodClaims()),
			TokenType:   "Bearer",
			Expiry:      testNow.Add(time.Hour),
		}},
		api: &fakeAPI{
			bodies: map[string]string{
				rolesPath(testEnvID):         assignments([3]string{envAdminID, ScopeEnvironment, testEnvID}),
				"/roles/" + envAdminID:       `{"id":"` + envAdminID + `","name":"Environment Admin"}`,
				"/roles/" + orgAdminID:       `{"id":"` + orgAdminID + `","name":"Organization Admin"}`,
				"/roles/" + idAdminID:        `{"id":"` + idAdminID + `","name":"Identity Data Admin"}`,
				"/environments/" + testEnvID: `{"id":"` + testEnvID + `","name":"Administrators","type":"PRODUCTION","region":"NA","organization":{"id":"` + testOrgID + `"}}`,
			},
			errs: map[string]error{},
		},
		probes: map[string]ProbeResult{},
	}
}

// options returns doctor options wired to the fixture, with buffers for
// output.
func (fx *fixture) options() (*DoctorOptions, *bytes.Buffer) {
	ios, _, out, _ := iostreams.Test()
	red := &redact.Redactor{}
	red.Add(testSecret)
	opts := &DoctorOptions{
		IO:       ios,
		Redactor: red,
		Now:      func() time.Time { return testNow },
		Settings: func() (*config.Settings, error) {
			if fx.settingsErr != nil {
				return nil, fx.settingsErr
			}
			return fx.settings, nil
		},
		TokenSource: func(o cmdutil.TokenOptions) (TokenSource, error) {
			if fx.tokenErr != nil {
				return nil, fx.tokenErr
			}
			fx.tokens.opts = o
			return fx.tokens, nil
		},
		NewAPI: func(string, api.TokenSource) (API, error) { return fx.api, nil },
		Probe: func(_ context.Context, u *url.URL) ProbeResult {
			if r, ok := fx.probes[u.Host]; ok {
				return r
			}
			return ProbeResult{Host: u.Hostname(), Port: portOf(u), Addresses: []string{"192.0.2.1"}, TLS: true, TLSVersion: "TLS 1.3"}
		},
		Runtime: func() (config.Runtime, error) {
			rt := config.Runtime{Timeout: config.DefaultTimeout, MinTTL: config.DefaultMinTTL}
			if fx.minTTL != "" {
				rt.MinTTL, rt.MinTTLErr = config.ParseMinTTL(fx.minTTL)
			}
			return rt, fx.runtimeErr
		},
		Target: fx.target,
	}
	return opts, out
}

// statuses returns each check's status by name.
func statuses(rep *Report) map[string]Status {
	m := map[string]Status{}
	for _, c := range rep.Checks {
		m[c.Name] = c.Status
	}
	return m
}

func findCheck(rep *Report, name string) Check {
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{}
}

// testSigningKey is an RSA key for test tokens, made once: PingOne signs
// its access tokens with RS256, and jwtinfo accepts only such algorithms.
var testSigningKey = sync.OnceValue(func() *rsa.PrivateKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return key
})
