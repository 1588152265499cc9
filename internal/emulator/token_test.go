package emulator

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

var correlationSuffix = regexp.MustCompile(` \(Correlation ID: [0-9a-f-]{36}\)$`)

func TestTokenSuccess(t *testing.T) {
	clock := newFakeClock()
	_, ts := newTestServer(t, WithClock(clock.Now), WithTokenLifetime(30*time.Minute))

	resp := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), clientCredentials(), DemoClientID, DemoClientSecret)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	if got := resp.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := resp.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	body := resp.json(t)
	if body["token_type"] != "Bearer" || body["expires_in"] != float64(1800) {
		t.Errorf("unexpected body %s", resp.body)
	}
	if scope, ok := body["scope"]; !ok || scope != "" {
		t.Errorf("scope must be present, and empty when none was asked for: %s", resp.body)
	}

	claims, kid := verifyAccessToken(t, ts.URL, DemoEnvironmentID, body["access_token"].(string))
	if kid == "" {
		t.Error("no kid header")
	}
	want := map[string]any{
		"client_id": DemoClientID,
		"iss":       ts.URL + "/" + DemoEnvironmentID + "/as",
		"env":       DemoEnvironmentID,
		"org":       DemoOrganizationID,
		"iat":       float64(clock.Now().Unix()),
		"exp":       float64(clock.Now().Add(30 * time.Minute).Unix()),
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != APIAudience {
		t.Errorf("aud = %v", claims["aud"])
	}
	if _, ok := claims["sub"]; ok {
		t.Error("client credentials tokens carry no sub")
	}
	if scope, ok := claims["scope"]; ok {
		t.Errorf("scope claim %q in a token granted no scope", scope)
	}
	if jti, _ := claims["jti"].(string); !isUUID(jti) {
		t.Errorf("jti = %v", claims["jti"])
	}
}

func TestTokenCustomScopes(t *testing.T) {
	_, ts := newTestServer(t)
	form := clientCredentials()
	form.Set("scope", "  pas:admin p1ctl:read pas:admin ")
	resp := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), form, DemoClientID, DemoClientSecret)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	body := resp.json(t)
	if body["scope"] != "pas:admin p1ctl:read" {
		t.Errorf("scope = %v", body["scope"])
	}
	claims, _ := verifyAccessToken(t, ts.URL, DemoEnvironmentID, body["access_token"].(string))
	if claims["scope"] != "pas:admin p1ctl:read" {
		t.Errorf("scope claim = %v", claims["scope"])
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 2 || aud[1] != CustomAudience {
		t.Errorf("aud = %v", claims["aud"])
	}
}

func TestTokenCustomDomain(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []Option
		env  string
	}{
		{"default environment", nil, DemoEnvironmentID},
		{"chosen environment", []Option{WithCustomDomainEnvironment(strings.ToUpper(DemoEnvironmentID))}, DemoEnvironmentID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, tt.opts...)
			resp := postForm(t, ts.URL+"/as/token", clientCredentials(), DemoClientID, DemoClientSecret)
			if resp.status != http.StatusOK {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
			tok := resp.json(t)["access_token"].(string)
			var claims map[string]any
			parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
			if err != nil {
				t.Fatal(err)
			}
			if err := parsed.UnsafeClaimsWithoutVerification(&claims); err != nil {
				t.Fatal(err)
			}
			if claims["iss"] != ts.URL+"/as" || claims["env"] != tt.env {
				t.Errorf("iss = %v, env = %v", claims["iss"], claims["env"])
			}
		})
	}
	t.Run("chosen environment without the client", func(t *testing.T) {
		_, ts := newTestServer(t, WithCustomDomainEnvironment(StagingEnvironmentID))
		resp := postForm(t, ts.URL+"/as/token", clientCredentials(), DemoClientID, DemoClientSecret)
		if resp.status != http.StatusUnauthorized {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	})
	t.Run("no environments", func(t *testing.T) {
		_, ts := newTestServerWith(t, &Fixture{OrganizationID: DemoOrganizationID})
		resp := postForm(t, ts.URL+"/as/token", clientCredentials(), DemoClientID, DemoClientSecret)
		if resp.status != http.StatusNotFound || resp.json(t)["code"] != "NOT_FOUND" {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	})
}

func TestTokenErrors(t *testing.T) {
	_, ts := newTestServer(t)
	admin := tokenURL(ts.URL, DemoEnvironmentID)
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	gt := []string{"grant_type", "client_credentials"}
	with := func(kv ...string) url.Values { return form(append(append([]string{}, gt...), kv...)...) }

	tests := []struct {
		name        string
		url         string
		form        url.Values
		user, pass  string
		contentType string
		authz       string
		status      int
		code        string // OAuth error or API error code
		descPrefix  string
		challenge   string
	}{
		{name: "wrong secret", url: admin, form: with(), user: DemoClientID, pass: "nope",
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method", challenge: "Basic"},
		{name: "unknown client", url: admin, form: with(), user: "99999999-9999-4999-8999-999999999999", pass: "x",
			status: 401, code: "invalid_client", descPrefix: "Request denied: Invalid client", challenge: "Basic"},
		{name: "client of another environment", url: tokenURL(ts.URL, EUEnvironmentID), form: with(), user: DemoClientID, pass: DemoClientSecret,
			status: 401, code: "invalid_client", descPrefix: "Request denied: Invalid client"},
		{name: "disabled client", url: admin, form: with(), user: DisabledClientID, pass: DisabledClientSecret,
			status: 401, code: "invalid_client", descPrefix: "Request denied: The application is disabled"},
		{name: "basic client using post", url: admin, form: with("client_id", DemoClientID, "client_secret", DemoClientSecret),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "post client using basic", url: admin, form: with(), user: PostClientID, pass: PostClientSecret,
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "post client wrong secret", url: admin, form: with("client_id", PostClientID, "client_secret", "nope"),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "post without client_id", url: admin, form: with("client_secret", PostClientSecret),
			status: 400, code: "invalid_request"},
		{name: "no credentials", url: admin, form: with(),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "client id only", url: admin, form: with("client_id", DemoClientID),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "unknown client id only", url: admin, form: with("client_id", "99999999-9999-4999-8999-999999999999"),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Invalid client"},
		{name: "bearer authorization", url: admin, form: with(), authz: "Bearer abc",
			status: 401, code: "invalid_client"},
		{name: "two methods", url: admin, form: with("client_secret", "x"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_request"},
		{name: "client_id mismatch", url: admin, form: with("client_id", PostClientID), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_request"},
		{name: "missing grant_type", url: admin, form: form(), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_request"},
		{name: "other grant_type", url: admin, form: form("grant_type", "password"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "unsupported_grant_type"},
		{name: "unknown grant_type", url: admin, form: form("grant_type", "urn:example:unknown"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "unsupported_grant_type"},
		{name: "grant_type the client may not use", url: admin, form: form("grant_type", "authorization_code", "code", "x"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "unauthorized_client"},
		{name: "refresh_token grant", url: admin, form: form("grant_type", "refresh_token", "refresh_token", "x"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "unauthorized_client"},
		{name: "unsupported grant_type without credentials", url: admin, form: form("grant_type", "password"),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method"},
		{name: "unsupported grant_type with wrong secret", url: admin, form: form("grant_type", "urn:example:unknown"), user: DemoClientID, pass: "nope",
			status: 401, code: "invalid_client", descPrefix: "Request denied: Unsupported authentication method", challenge: "Basic"},
		{name: "known grant_type with unknown client", url: admin, form: form("grant_type", "authorization_code"), user: "99999999-9999-4999-8999-999999999999", pass: "x",
			status: 401, code: "invalid_client", descPrefix: "Request denied: Invalid client", challenge: "Basic"},
		{name: "repeated parameter", url: admin, form: form("grant_type", "client_credentials", "grant_type", "client_credentials"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_request"},
		{name: "scope not allowed", url: admin, form: with("scope", "p1ctl:read p1ctl:write"), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_scope"},
		{name: "scope for client without scopes", url: admin, form: with("scope", "openid"), user: NoRolesClientID, pass: NoRolesClientSecret,
			status: 400, code: "invalid_scope"},
		{name: "wrong content type", url: admin, form: with(), user: DemoClientID, pass: DemoClientSecret, contentType: "application/json",
			status: 400, code: "invalid_request"},
		{name: "unknown environment", url: tokenURL(ts.URL, "99999999-9999-4999-8999-999999999999"), form: with(), user: DemoClientID, pass: DemoClientSecret,
			status: 404, code: "NOT_FOUND"},
		{name: "environment not a UUID", url: tokenURL(ts.URL, "production"), form: with(), user: DemoClientID, pass: DemoClientSecret,
			status: 400, code: "invalid_request"},
		{name: "assertion type wrong", url: admin, form: with("client_assertion_type", "urn:other", "client_assertion", "x"),
			status: 400, code: "invalid_request"},
		{name: "assertion missing", url: admin, form: with("client_assertion_type", jwtBearerAssertion),
			status: 400, code: "invalid_request"},
		{name: "assertion garbage", url: admin, form: with("client_assertion_type", jwtBearerAssertion, "client_assertion", "not.a.jwt"),
			status: 401, code: "invalid_client", descPrefix: "Request denied: Invalid client assertion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, tt.url, strings.NewReader(tt.form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.user != "" {
				req.SetBasicAuth(tt.user, tt.pass)
			}
			if tt.authz != "" {
				req.Header.Set("Authorization", tt.authz)
			}
			resp := do(t, req)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			if ct := resp.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := resp.json(t)
			if strings.ToUpper(tt.code) == tt.code { // management-shaped
				if body["code"] != tt.code || !isUUID(body["id"].(string)) {
					t.Fatalf("body %s, want code %s", resp.body, tt.code)
				}
				if tt.code == "NOT_FOUND" && body["message"] != "The requested resource was not found." {
					t.Errorf("message = %v", body["message"])
				}
				return
			}
			if body["error"] != tt.code {
				t.Fatalf("error = %v, want %s (%s)", body["error"], tt.code, resp.body)
			}
			desc, _ := body["error_description"].(string)
			if !strings.HasPrefix(desc, tt.descPrefix) {
				t.Errorf("error_description %q does not start with %q", desc, tt.descPrefix)
			}
			if tt.code == "invalid_client" {
				if !correlationSuffix.MatchString(desc) {
					t.Errorf("error_description %q lacks the correlation ID", desc)
				}
				if !strings.Contains(desc, resp.header.Get("Correlation-Id")) {
					t.Errorf("correlation ID in description differs from the header %q", resp.header.Get("Correlation-Id"))
				}
			}
			if tt.challenge != "" && !strings.HasPrefix(resp.header.Get("WWW-Authenticate"), tt.challenge) {
				t.Errorf("WWW-Authenticate = %q", resp.header.Get("WWW-Authenticate"))
			}
			if resp.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", resp.header.Get("Cache-Control"))
			}
		})
	}
}

func TestTokenWrongMethod(t *testing.T) {
	_, ts := newTestServer(t)
	resp := get(t, tokenURL(ts.URL, DemoEnvironmentID), "")
	if resp.status != http.StatusMethodNotAllowed || resp.header.Get("Allow") != http.MethodPost {
		t.Fatalf("status %d, Allow %q", resp.status, resp.header.Get("Allow"))
	}
	body := resp.json(t)
	if body["code"] != "METHOD_NOT_ALLOWED" || !isUUID(body["id"].(string)) {
		t.Errorf("body %s", resp.body)
	}
}

func TestTokenBodyTooLarge(t *testing.T) {
	_, ts := newTestServer(t)
	form := clientCredentials()
	form.Set("scope", strings.Repeat("a", 100<<10))
	resp := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), form, DemoClientID, DemoClientSecret)
	if resp.status != http.StatusBadRequest || resp.json(t)["error"] != "invalid_request" {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
}

func TestTokenSecretPost(t *testing.T) {
	_, ts := newTestServer(t)
	form := clientCredentials()
	form.Set("client_id", PostClientID)
	form.Set("client_secret", PostClientSecret)
	resp := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), form, "", "")
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
}

func TestTokensAreDistinctUnderConcurrency(t *testing.T) {
	s, ts := newTestServer(t)
	const n = 40
	tokens := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := fetchToken(ts.URL, DemoClientID, DemoClientSecret)
			if err != nil {
				t.Error(err)
			}
			tokens[i] = tok
			_ = s.Count("")
			_ = s.Requests()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, tok := range tokens {
		if seen[tok] {
			t.Fatal("the same token was issued twice")
		}
		seen[tok] = true
	}
	if got := s.Count(EndpointToken); got != n {
		t.Errorf("Count(token) = %d, want %d", got, n)
	}
	// Every token works.
	for _, tok := range tokens[:5] {
		if resp := get(t, ts.URL+"/v1/environments/"+DemoEnvironmentID, tok); resp.status != http.StatusOK {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	}
}

// fetchToken gets a token with client_secret_basic; it is safe to call
// from any goroutine.
func fetchToken(base, id, secret string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, tokenURL(base, DemoEnvironmentID),
		strings.NewReader(clientCredentials().Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", fmt.Errorf("decode token response: %w", err)
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("token request: status %d", resp.StatusCode)
	}
	return body.AccessToken, nil
}

// verifyAccessToken checks an access token's signature against the
// published JWKS and returns its claims and kid.
func verifyAccessToken(t *testing.T, base, envID, token string) (map[string]any, string) {
	t.Helper()
	resp := get(t, base+"/"+envID+"/as/jwks", "")
	if resp.status != http.StatusOK {
		t.Fatalf("jwks: status %d", resp.status)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(resp.body, &set); err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	kid := parsed.Headers[0].KeyID
	keys := set.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in JWKS", kid)
	}
	if _, ok := keys[0].Key.(*rsa.PublicKey); !ok {
		t.Fatalf("JWKS key is %T", keys[0].Key)
	}
	var claims map[string]any
	if err := parsed.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("signature: %v", err)
	}
	return claims, kid
}

func TestBasicCredentialsAreFormDecoded(t *testing.T) {
	const id = "12121212-1212-4212-8212-121212121212"
	f := DefaultFixture()
	f.Clients = append(f.Clients,
		Client{ID: id, EnvironmentID: DemoEnvironmentID, Secret: "p@ss:w rd+&%"})
	_, ts := newTestServerWith(t, f)
	u := tokenURL(ts.URL, DemoEnvironmentID)

	// RFC 6749 form-encodes the credentials before Base64.
	if resp := postForm(t, u, clientCredentials(), id, "p@ss:w rd+&%"); resp.status != 200 {
		t.Fatalf("encoded: status %d: %s", resp.status, resp.body)
	}
	// Clients that skip the encoding still work when the secret does not
	// decode ("%" alone is not valid form encoding).
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(clientCredentials().Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, "p@ss:w rd+&%")
	if resp := do(t, req); resp.status != 200 {
		t.Fatalf("raw: status %d: %s", resp.status, resp.body)
	}
}

func TestPruneExpired(t *testing.T) {
	now := time.Now()
	m := map[string]time.Time{"old": now.Add(-time.Second), "edge": now, "live": now.Add(time.Second)}
	pruneExpired(m, now)
	if len(m) != 1 || m["live"].IsZero() {
		t.Errorf("after prune: %v", m)
	}
}
