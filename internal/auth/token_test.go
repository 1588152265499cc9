package auth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
)

const (
	clientID     = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	clientSecret = "Xy7~kP2.qR9_vL4-mN8sT1wZ5bC3dF6gH0jK"
)

// verifyAssertion checks a client assertion as PingOne would and returns
// its header and claims.
func verifyAssertion(t *testing.T, assertion string, alg jose.SignatureAlgorithm, key any, tokenURL string, now time.Time) (jose.Header, jwt.Claims) {
	t.Helper()
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{alg})
	if err != nil {
		t.Fatalf("assertion is not a %s JWS: %v", alg, err)
	}
	if len(tok.Headers) != 1 {
		t.Fatalf("assertion has %d signatures", len(tok.Headers))
	}
	var claims jwt.Claims
	if err := tok.Claims(key, &claims); err != nil {
		t.Fatalf("assertion signature does not verify: %v", err)
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Issuer: clientID, Subject: clientID, AnyAudience: jwt.Audience{tokenURL}, Time: now}, 0); err != nil {
		t.Errorf("assertion claims invalid: %v (%+v)", err, claims)
	}
	if claims.Expiry == nil {
		t.Fatal("assertion has no exp")
	}
	if exp := claims.Expiry.Time(); !exp.After(now) || exp.Sub(now) > time.Hour {
		t.Errorf("assertion exp %v is not within an hour after %v", exp, now)
	}
	if claims.NotBefore != nil && claims.NotBefore.Time().After(now) {
		t.Errorf("assertion nbf %v is in the future", claims.NotBefore.Time())
	}
	if claims.ID == "" {
		t.Error("assertion has no jti")
	}
	if got := tok.Headers[0].Algorithm; got != string(alg) {
		t.Errorf("alg = %q, want %q", got, alg)
	}
	return tok.Headers[0], claims
}

func TestFetchAuthMethods(t *testing.T) {
	ecPath := func(t *testing.T) string { return writeKey(t, sec1PEM(t, ecKey()), 0o600) }
	rsaPath := func(t *testing.T) string { return writeKey(t, pkcs8PEM(t, rsaKey()), 0o600) }
	tests := []struct {
		name   string
		method string
		signer func(t *testing.T) *auth.AssertionSigner
		alg    jose.SignatureAlgorithm
		key    any
		kid    string
	}{
		{name: "default is client_secret_basic", method: ""},
		{name: "client_secret_basic", method: config.AuthClientSecretBasic},
		{name: "client_secret_post", method: config.AuthClientSecretPost},
		{name: "client_secret_jwt", method: config.AuthClientSecretJWT, alg: jose.HS256, key: []byte(clientSecret),
			signer: func(t *testing.T) *auth.AssertionSigner {
				s, err := auth.NewSecretSigner(clientSecret)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}},
		{name: "private_key_jwt RSA with kid", method: config.AuthPrivateKeyJWT, alg: jose.RS256, key: &rsaKey().PublicKey, kid: "rsa-key-1",
			signer: func(t *testing.T) *auth.AssertionSigner {
				s, err := auth.NewKeySigner(rsaPath(t), "rsa-key-1")
				if err != nil {
					t.Fatal(err)
				}
				return s
			}},
		{name: "private_key_jwt EC without kid", method: config.AuthPrivateKeyJWT, alg: jose.ES256, key: &ecKey().PublicKey,
			signer: func(t *testing.T) *auth.AssertionSigner {
				s, err := auth.NewKeySigner(ecPath(t), "")
				if err != nil {
					t.Fatal(err)
				}
				return s
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, nil)
			c := &auth.Client{
				TokenURL:     ts.tokenURL(),
				ClientID:     clientID,
				ClientSecret: clientSecret,
				Method:       tt.method,
				HTTPClient:   ts.Client(),
				Now:          fixedClock(testNow),
			}
			if tt.signer != nil {
				c.Signer = tt.signer(t)
			}
			tok, err := c.Fetch(context.Background())
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if tok.AccessToken != "token-1" || tok.TokenType != "Bearer" {
				t.Errorf("token = %+v", tok)
			}
			req := ts.last(t)
			if req.Method != http.MethodPost || req.Path != "/"+envID+"/as/token" {
				t.Errorf("request %s %s", req.Method, req.Path)
			}
			if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q", ct)
			}
			if got := req.Form.Get("grant_type"); got != "client_credentials" {
				t.Errorf("grant_type = %q", got)
			}
			if req.Form.Has("scope") {
				t.Errorf("scope sent without scopes: %q", req.Form.Get("scope"))
			}
			for name, values := range req.Form {
				for _, v := range values {
					if strings.Contains(v, clientSecret) && name != "client_secret" {
						t.Errorf("form field %s carries the client secret", name)
					}
				}
			}

			switch tt.method {
			case "", config.AuthClientSecretBasic:
				user, pass, ok := basicAuth(req.Header.Get("Authorization"))
				if !ok || user != clientID || pass != clientSecret {
					t.Errorf("Basic credentials = %q:%q (ok %v)", user, pass, ok)
				}
				for _, field := range []string{"client_secret", "client_assertion", "client_assertion_type"} {
					if req.Form.Has(field) {
						t.Errorf("body has %s with client_secret_basic", field)
					}
				}
			case config.AuthClientSecretPost:
				if h := req.Header.Get("Authorization"); h != "" {
					t.Errorf("Authorization header %q with client_secret_post", h)
				}
				if req.Form.Get("client_id") != clientID || req.Form.Get("client_secret") != clientSecret {
					t.Errorf("form client_id=%q client_secret=%q", req.Form.Get("client_id"), req.Form.Get("client_secret"))
				}
			default:
				if h := req.Header.Get("Authorization"); h != "" {
					t.Errorf("Authorization header %q with %s", h, tt.method)
				}
				if req.Form.Has("client_secret") {
					t.Errorf("client_secret sent with %s", tt.method)
				}
				if got := req.Form.Get("client_assertion_type"); got != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
					t.Errorf("client_assertion_type = %q", got)
				}
				if id := req.Form.Get("client_id"); id != "" && id != clientID {
					t.Errorf("client_id = %q", id)
				}
				header, claims := verifyAssertion(t, req.Form.Get("client_assertion"), tt.alg, tt.key, c.TokenURL, testNow)
				if header.KeyID != tt.kid {
					t.Errorf("kid = %q, want %q", header.KeyID, tt.kid)
				}
				if typ := header.ExtraHeaders[jose.HeaderType]; typ != nil && typ != "JWT" {
					t.Errorf("typ = %v", typ)
				}
				if c.Signer.Algorithm != tt.alg {
					t.Errorf("Signer.Algorithm = %q, want %q", c.Signer.Algorithm, tt.alg)
				}
				// A second request carries a fresh jti.
				if _, err := c.Fetch(context.Background()); err != nil {
					t.Fatal(err)
				}
				_, claims2 := verifyAssertion(t, ts.last(t).Form.Get("client_assertion"), tt.alg, tt.key, c.TokenURL, testNow)
				if claims2.ID == claims.ID {
					t.Errorf("two assertions share jti %q", claims.ID)
				}
			}
		})
	}
}

// basicAuth decodes an Authorization: Basic header. The client-credentials
// library form-encodes the ID and secret first (RFC 6749 section 2.3.1).
func basicAuth(h string) (user, pass string, ok bool) {
	enc, found := strings.CutPrefix(h, "Basic ")
	if !found {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", "", false
	}
	rawUser, rawPass, ok := strings.Cut(string(raw), ":")
	user, err1 := url.QueryUnescape(rawUser)
	pass, err2 := url.QueryUnescape(rawPass)
	return user, pass, ok && err1 == nil && err2 == nil
}

func TestFetchJWTNeedsSigner(t *testing.T) {
	for _, method := range []string{config.AuthClientSecretJWT, config.AuthPrivateKeyJWT} {
		ts := newTokenServer(t, nil)
		c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, Method: method, HTTPClient: ts.Client()}
		if _, err := c.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "signer") {
			t.Errorf("%s without a signer: err = %v", method, err)
		}
		if ts.count() != 0 {
			t.Errorf("%s without a signer sent a request", method)
		}
	}
}

func TestFetchUnknownMethod(t *testing.T) {
	ts := newTokenServer(t, nil)
	c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, Method: "tls_client_auth", HTTPClient: ts.Client()}
	if _, err := c.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "tls_client_auth") {
		t.Errorf("err = %v", err)
	}
	if ts.count() != 0 {
		t.Error("a request was sent")
	}
}

func TestFetchScopesAndExpiry(t *testing.T) {
	tests := []struct {
		name       string
		scopes     []string
		response   map[string]any
		wantScope  string // sent
		wantExpiry time.Time
		wantGot    string // Token.Scope
		wantType   string
	}{
		{
			name:       "one hour",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 3600},
			wantExpiry: testNow.Add(time.Hour), wantType: "Bearer",
		},
		{
			name:       "short-lived custom resource token with scopes",
			scopes:     []string{"p1:read:env", "openid", "custom:scope"},
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 300, "scope": "openid p1:read:env custom:scope"},
			wantScope:  "p1:read:env openid custom:scope",
			wantExpiry: testNow.Add(300 * time.Second), wantGot: "openid p1:read:env custom:scope", wantType: "Bearer",
		},
		{
			name:       "scopes sent space-separated",
			scopes:     []string{"p1:read:env", "openid", "custom:scope"},
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "scope": "openid p1:read:env"},
			wantScope:  "p1:read:env openid custom:scope",
			wantExpiry: testNow.Add(time.Hour), wantGot: "openid p1:read:env", wantType: "Bearer",
		},
		{
			name:       "missing expires_in means one hour",
			scopes:     []string{"one"},
			response:   map[string]any{"access_token": "t", "token_type": "Bearer"},
			wantScope:  "one",
			wantExpiry: testNow.Add(time.Hour), wantType: "Bearer",
		},
		{
			name:       "absurd expires_in capped at 30 days",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 1e10},
			wantExpiry: testNow.Add(30 * 24 * time.Hour), wantType: "Bearer",
		},
		{
			name:       "expires_in at the int64 maximum capped at 30 days",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": uint64(9223372036854775807)},
			wantExpiry: testNow.Add(30 * 24 * time.Hour), wantType: "Bearer",
		},
		{
			name:       "negative expires_in means one hour, not already expired",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": -1},
			wantExpiry: testNow.Add(time.Hour), wantType: "Bearer",
		},
		{
			name:       "zero expires_in means one hour",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 0},
			wantExpiry: testNow.Add(time.Hour), wantType: "Bearer",
		},
		{
			name:       "expires_in as a string",
			response:   map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": "600"},
			wantExpiry: testNow.Add(10 * time.Minute), wantType: "Bearer",
		},
		{
			name:       "token_type in any case is Bearer",
			response:   map[string]any{"access_token": "t", "token_type": "bearer", "expires_in": 7200},
			wantExpiry: testNow.Add(2 * time.Hour), wantType: "Bearer",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) { writeJSON(w, 200, tt.response) })
			c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, Scopes: tt.scopes, HTTPClient: ts.Client(), Now: fixedClock(testNow)}
			tok, err := c.Fetch(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			req := ts.last(t)
			if tt.wantScope == "" {
				if req.Form.Has("scope") {
					t.Errorf("scope sent: %q", req.Form.Get("scope"))
				}
			} else if got := req.Form.Get("scope"); got != tt.wantScope {
				t.Errorf("scope sent = %q, want %q", got, tt.wantScope)
			}
			if !tok.Expiry.Equal(tt.wantExpiry) {
				t.Errorf("Expiry = %v, want %v", tok.Expiry, tt.wantExpiry)
			}
			if tok.Scope != tt.wantGot {
				t.Errorf("Scope = %q, want %q", tok.Scope, tt.wantGot)
			}
			if tok.TokenType != tt.wantType {
				t.Errorf("TokenType = %q, want %q", tok.TokenType, tt.wantType)
			}
			if got := tok.ExpiresIn(testNow); got != tt.wantExpiry.Sub(testNow) {
				t.Errorf("ExpiresIn = %v", got)
			}
		})
	}
}

// The expiry must still be right against the real clock.
// A token endpoint answering with a token p1ctl must not print or send
// (not RFC 6750 b64token syntax, or not a Bearer token) is refused as an
// unusable answer that quotes neither the token nor a control character,
// and nothing is cached.
func TestFetchRefusesUnusableToken(t *testing.T) {
	const secretPart = "S3cretTokenPart"
	tests := []struct {
		name      string
		token     string
		tokenType any // nil: no token_type
		wantField string
	}{
		{"escape sequence", secretPart + "\x1b[2J\x1b]0;owned\x07", "Bearer", "access_token"},
		{"CR LF", secretPart + "\r\nX-Injected: 1", "Bearer", "access_token"},
		{"space", secretPart + " more", "Bearer", "access_token"},
		{"padding inside", secretPart + "==more", "Bearer", "access_token"},
		{"padding only", "==", "Bearer", "access_token"},
		{"non-ASCII", secretPart + "\u00e9", "Bearer", "access_token"},
		{"quote", secretPart + "\"", "Bearer", "access_token"},
		{"DPoP", secretPart, "DPoP", "token_type"},
		{"MAC", secretPart, "mac", "token_type"},
		{"token_type with an escape sequence", secretPart, "Bearer\u001b[31m", "token_type"},
		{"no token_type", secretPart, nil, "token_type"},
		{"empty token_type", secretPart, "", "token_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) {
				answer := map[string]any{"access_token": tt.token, "expires_in": 3600}
				if tt.tokenType != nil {
					answer["token_type"] = tt.tokenType
				}
				writeJSON(w, http.StatusOK, answer)
			})
			dir := t.TempDir()
			src := &auth.Source{
				Client: &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client(), Now: fixedClock(testNow)},
				Store:  cacheAt(dir, testNow),
			}
			tok, err := src.Token(context.Background())
			if tok != nil {
				t.Errorf("token handed out: %+v", tok)
			}
			bad := wantResponseError(t, err)
			if msg := bad.Error(); !strings.Contains(msg, tt.wantField) || strings.Contains(msg, secretPart) || strings.ContainsAny(msg, "\x1b\r\n\x07") {
				t.Errorf("message %q: want %s named, no token, no control character", msg, tt.wantField)
			}
			if entries, _ := os.ReadDir(dir); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasSuffix(e.Name(), ".json") }) {
				t.Error("the refused token was cached")
			}
		})
	}
}

func TestFetchExpiryRealClock(t *testing.T) {
	ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) {
		writeJSON(w, 200, map[string]any{"access_token": "t", "token_type": "Bearer", "expires_in": 300})
	})
	c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client()}
	before := time.Now()
	tok, err := c.Fetch(context.Background())
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := before.Add(300*time.Second-time.Second), after.Add(300*time.Second)
	if tok.Expiry.Before(lo) || tok.Expiry.After(hi) {
		t.Errorf("Expiry = %v, want between %v and %v", tok.Expiry, lo, hi)
	}
	if tok.Expiry.Location() != time.UTC {
		t.Errorf("Expiry is in %v, want UTC", tok.Expiry.Location())
	}
}

func TestFetchErrors(t *testing.T) {
	const corr = "c0ffee00-1111-4222-8333-444455556666"
	tests := []struct {
		name    string
		respond func(w http.ResponseWriter)
		check   func(t *testing.T, err error)
	}{
		{
			name: "401 invalid_client",
			respond: func(w http.ResponseWriter) {
				writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "Request denied: Unsupported authentication method (Correlation ID: " + corr + ")"})
			},
			check: func(t *testing.T, err error) {
				rej := wantRejected(t, err, 401)
				if rej.Code != "invalid_client" || !strings.Contains(rej.Description, "Unsupported authentication method") {
					t.Errorf("Code %q Description %q", rej.Code, rej.Description)
				}
				if !rej.ClientRejected() {
					t.Error("ClientRejected() = false")
				}
				if !strings.Contains(rej.Error(), "HTTP 401 invalid_client: Request denied") {
					t.Errorf("Error() = %q", rej.Error())
				}
				// PingOne's "(Correlation ID: …)" becomes p1ctl's one form.
				if rej.CorrelationID != corr || strings.Contains(rej.Error(), "(Correlation ID") || !strings.Contains(rej.Error(), "[correlation ID "+corr+"]") {
					t.Errorf("CorrelationID %q, Error() = %q", rej.CorrelationID, rej.Error())
				}
			},
		},
		{
			name: "400 invalid_client counts as rejected",
			respond: func(w http.ResponseWriter) {
				writeJSON(w, 400, map[string]string{"error": "invalid_client", "error_description": "bad"})
			},
			check: func(t *testing.T, err error) {
				if rej := wantRejected(t, err, 400); !rej.ClientRejected() {
					t.Error("ClientRejected() = false")
				}
			},
		},
		{
			name: "400 invalid_scope",
			respond: func(w http.ResponseWriter) {
				writeJSON(w, 400, map[string]string{"error": "invalid_scope", "error_description": "At least one scope must be granted"})
			},
			check: func(t *testing.T, err error) {
				rej := wantRejected(t, err, 400)
				if rej.Code != "invalid_scope" || rej.ClientRejected() {
					t.Errorf("Code %q ClientRejected %v", rej.Code, rej.ClientRejected())
				}
			},
		},
		{
			name: "404 PingOne body",
			respond: func(w http.ResponseWriter) {
				writeJSON(w, 404, map[string]string{"id": corr, "code": "NOT_FOUND", "message": "The requested resource was not found."})
			},
			check: func(t *testing.T, err error) {
				rej := wantRejected(t, err, 404)
				if rej.Code != "" || rej.PingOneCode != "NOT_FOUND" || rej.CorrelationID != corr || rej.PingOneDetail != "The requested resource was not found." {
					t.Errorf("rejection = %+v", rej)
				}
				if rej.ClientRejected() {
					t.Error("ClientRejected() = true for 404")
				}
				for _, part := range []string{"HTTP 404", "NOT_FOUND", "The requested resource was not found.", "[correlation ID " + corr + "]"} {
					if !strings.Contains(rej.Error(), part) {
						t.Errorf("Error() = %q lacks %q", rej.Error(), part)
					}
				}
			},
		},
		{
			name: "503 with Retry-After",
			respond: func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(503)
				fmt.Fprint(w, "<html><body>Service Unavailable</body></html>")
			},
			check: func(t *testing.T, err error) {
				rej := wantRejected(t, err, 503)
				if rej.RetryAfter != "30" {
					t.Errorf("RetryAfter = %q", rej.RetryAfter)
				}
				if rej.ClientRejected() {
					t.Error("ClientRejected() = true for 503")
				}
				if rej.Snippet != "<html><body>Service Unavailable</body></html>" || rej.PingOneCode != "" || rej.Code != "" {
					t.Errorf("rejection = %+v", rej)
				}
				if !strings.HasPrefix(rej.Error(), "token request rejected (HTTP 503") {
					t.Errorf("Error() = %q", rej.Error())
				}
			},
		},
		{
			// A description whose parentheses are not PingOne's suffix
			// is kept whole; the header gives the ID.
			name: "correlation ID from the header",
			respond: func(w http.ResponseWriter) {
				w.Header().Set("Correlation-Id", corr)
				writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "bad (Correlation ID: two words)"})
			},
			check: func(t *testing.T, err error) {
				rej := wantRejected(t, err, 400)
				if rej.CorrelationID != corr || rej.Description != "bad (Correlation ID: two words)" || !strings.HasSuffix(rej.Error(), " [correlation ID "+corr+"])") {
					t.Errorf("CorrelationID %q Description %q Error() %q", rej.CorrelationID, rej.Description, rej.Error())
				}
			},
		},
		{
			// The answer's facts, not the parser's complaint, say what
			// answered: a captive portal here.
			name: "non-JSON 200",
			respond: func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<html>captive portal</html>")
			},
			check: func(t *testing.T, err error) {
				wantAnswerFacts(t, wantResponseError(t, err), "HTTP 200", "text/html", "<html>captive portal</html>")
			},
		},
		{
			name: "JSON 200 without an access token",
			respond: func(w http.ResponseWriter) {
				writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3600})
			},
			check: func(t *testing.T, err error) {
				wantAnswerFacts(t, wantResponseError(t, err), "HTTP 200", "application/json", `"token_type":"Bearer"`)
			},
		},
		{
			name: "text/plain 200",
			respond: func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "text/plain")
				fmt.Fprint(w, "hello")
			},
			check: func(t *testing.T, err error) {
				wantAnswerFacts(t, wantResponseError(t, err), "HTTP 200", "text/plain", "hello")
			},
		},
		{
			// What is quoted of a cut answer is masked: no token shows.
			name: "truncated JSON 200",
			respond: func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, `{"access_token":"eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln","token_`)
			},
			check: func(t *testing.T, err error) {
				re := wantResponseError(t, err)
				wantAnswerFacts(t, re, "HTTP 200", "application/json", `"access_token"`)
				if strings.Contains(re.Error(), "c2VjcmV0") {
					t.Errorf("Error() = %q quotes the token", re.Error())
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) { tt.respond(w) })
			c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client(), Now: fixedClock(testNow)}
			tok, err := c.Fetch(context.Background())
			if err == nil {
				t.Fatalf("Fetch succeeded: %+v", tok)
			}
			if strings.Contains(err.Error(), clientSecret) {
				t.Errorf("error leaks the client secret: %v", err)
			}
			tt.check(t, err)
		})
	}
}

func wantRejected(t *testing.T, err error, status int) *auth.RejectedError {
	t.Helper()
	var rej *auth.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("want *auth.RejectedError, got %T: %v", err, err)
	}
	if rej.Status != status {
		t.Errorf("Status = %d, want %d", rej.Status, status)
	}
	if !strings.HasSuffix(rej.TokenURL, "/as/token") {
		t.Errorf("TokenURL = %q", rej.TokenURL)
	}
	return rej
}

func wantResponseError(t *testing.T, err error) *auth.ResponseError {
	t.Helper()
	var re *auth.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want *auth.ResponseError, got %T: %v", err, err)
	}
	if !strings.HasSuffix(re.TokenURL, "/as/token") {
		t.Errorf("TokenURL = %q", re.TokenURL)
	}
	if !strings.HasPrefix(re.Error(), "unusable answer from the token endpoint: ") || strings.Contains(re.Error(), "oauth2: ") {
		t.Errorf("Error() = %q", re.Error())
	}
	return re
}

// wantAnswerFacts checks that an unusable answer's error states facts.
func wantAnswerFacts(t *testing.T, re *auth.ResponseError, facts ...string) {
	t.Helper()
	for _, f := range facts {
		if !strings.Contains(re.Error(), f) {
			t.Errorf("Error() = %q lacks %q", re.Error(), f)
		}
	}
}

func TestFetchNetworkErrorIsNotWrapped(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := &auth.Client{TokenURL: "http://" + addr + "/as/token", ClientID: clientID, ClientSecret: clientSecret, HTTPClient: &http.Client{}}
	_, err = c.Fetch(context.Background())
	var rej *auth.RejectedError
	var re *auth.ResponseError
	var opErr *net.OpError
	if err == nil || errors.As(err, &rej) || errors.As(err, &re) || !errors.As(err, &opErr) {
		t.Fatalf("err = %T %v, want the network error itself", err, err)
	}
}

func TestFetchCanceled(t *testing.T) {
	ts := newTokenServer(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client()}
	if _, err := c.Fetch(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRejectedErrorClientRejected(t *testing.T) {
	tests := []struct {
		rej  auth.RejectedError
		want bool
	}{
		{auth.RejectedError{Status: 401}, true},
		{auth.RejectedError{Status: 400, Code: "invalid_client"}, true},
		{auth.RejectedError{Status: 400, Code: "unauthorized_client"}, true},
		{auth.RejectedError{Status: 403, Code: "access_denied"}, true},
		{auth.RejectedError{Status: 400, Code: "invalid_scope"}, false},
		{auth.RejectedError{Status: 400, Code: "unsupported_grant_type"}, false},
		{auth.RejectedError{Status: 404, PingOneCode: "NOT_FOUND"}, false},
		{auth.RejectedError{Status: 503}, false},
	}
	for _, tt := range tests {
		if got := tt.rej.ClientRejected(); got != tt.want {
			t.Errorf("%+v.ClientRejected() = %v, want %v", tt.rej, got, tt.want)
		}
	}
}

func TestTokenValid(t *testing.T) {
	tok := &auth.Token{AccessToken: "x", Expiry: testNow.Add(2 * time.Minute)}
	tests := []struct {
		tok    *auth.Token
		now    time.Time
		minTTL time.Duration
		want   bool
	}{
		{tok, testNow, 0, true},
		{tok, testNow, time.Minute, true},
		{tok, testNow, 2 * time.Minute, true},
		{tok, testNow, 3 * time.Minute, false},
		{tok, testNow.Add(3 * time.Minute), 0, false},
		{nil, testNow, 0, false},
		{&auth.Token{Expiry: testNow.Add(time.Hour)}, testNow, 0, false},
	}
	for i, tt := range tests {
		if got := tt.tok.Valid(tt.now, tt.minTTL); got != tt.want {
			t.Errorf("%d: Valid = %v, want %v", i, got, tt.want)
		}
	}
	if got := tok.ExpiresIn(testNow.Add(time.Hour)); got != 0 {
		t.Errorf("ExpiresIn after expiry = %v, want 0", got)
	}
}

func TestRejectedErrorServer(t *testing.T) {
	tests := []struct{ tokenURL, want string }{
		{"https://auth.pingone.eu/" + clientID + "/as/token", "PingOne"},
		{"https://AUTH.pingone.com.au/x/as/token", "PingOne"},
		{"https://auth.example.com/as/token", "the token endpoint at auth.example.com"},
		{"http://127.0.0.1:4444/oauth2/token", "the token endpoint at 127.0.0.1:4444"},
		{"https://auth.pingone.com.evil.example/as/token", "the token endpoint at auth.pingone.com.evil.example"},
		{"", "the token endpoint"},
	}
	for _, tt := range tests {
		if got := (&auth.RejectedError{TokenURL: tt.tokenURL}).Server(); got != tt.want {
			t.Errorf("Server() for %q = %q, want %q", tt.tokenURL, got, tt.want)
		}
	}
}

// What Hydra (fosite) and node oidc-provider answer for private_key_jwt
// failures, and for a client registered for another method.
func TestRejectedErrorKeyRefusedAndRegisteredMethod(t *testing.T) {
	const malformed = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. "
	const authFailed = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method). "
	tests := []struct {
		name           string
		rej            auth.RejectedError
		wantKey        bool
		wantRegistered string
	}{
		{"Hydra unknown kid", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 400, Code: "invalid_request",
			Description: malformed + "The JSON Web Token uses signing key with kid 'no-such-kid', which could not be found."}, true, ""},
		{"Hydra bad signature", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client",
			Description: authFailed + "Unable to verify the integrity of the 'client_assertion' value."}, true, ""},
		{"Hydra algorithm", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client",
			Description: authFailed + "The 'client_assertion' uses signing algorithm 'RS256' but the requested OAuth 2.0 Client enforces signing algorithm 'ES256'."}, true, ""},
		{"oidc-provider", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client", Description: "client authentication failed"}, true, ""},
		{"PingOne", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client",
			Description: "Request denied: Invalid client assertion: signature verification failed"}, true, ""},
		{"private_key_jwt for a client_secret_basic client (Hydra)", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client",
			Description: authFailed + "This requested OAuth 2.0 client only supports client authentication method 'client_secret_basic', however 'client_assertion' was provided in the request."}, false, config.AuthClientSecretBasic},
		{"client_secret_basic for a private_key_jwt client (Hydra)", auth.RejectedError{Status: 401, Code: "invalid_client",
			Description: authFailed + "The OAuth 2.0 Client supports client authentication method 'private_key_jwt', but method 'client_secret_basic' was requested."}, false, config.AuthPrivateKeyJWT},
		{"a wrong secret", auth.RejectedError{Method: config.AuthClientSecretPost, Status: 401, Code: "invalid_client", Description: "Request denied: Unsupported authentication method"}, false, ""},
		{"invalid_request unrelated to the key", auth.RejectedError{Method: config.AuthPrivateKeyJWT, Status: 400, Code: "invalid_request", Description: "The grant_type is missing."}, false, ""},
		{"a key-sounding invalid_request with a secret", auth.RejectedError{Method: config.AuthClientSecretBasic, Status: 400, Code: "invalid_request", Description: "kid"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rej.KeyRefused(); got != tt.wantKey {
				t.Errorf("KeyRefused() = %v, want %v", got, tt.wantKey)
			}
			if got := tt.rej.RegisteredMethod(); got != tt.wantRegistered {
				t.Errorf("RegisteredMethod() = %q, want %q", got, tt.wantRegistered)
			}
		})
	}
}
