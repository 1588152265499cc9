package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// assertion builds a signed client assertion. Zero times are omitted.
type assertion struct {
	alg      jose.SignatureAlgorithm
	key      any
	iss, sub string
	aud      []string
	exp, nbf time.Time
	jti      string
}

func (a assertion) sign(t *testing.T) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: a.alg, Key: a.key}, nil)
	if err != nil {
		t.Fatalf("signer: %v", err)
	}
	claims := jwt.Claims{Issuer: a.iss, Subject: a.sub, Audience: a.aud, ID: a.jti}
	if !a.exp.IsZero() {
		claims.Expiry = jwt.NewNumericDate(a.exp)
	}
	if !a.nbf.IsZero() {
		claims.NotBefore = jwt.NewNumericDate(a.nbf)
	}
	s, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return s
}

// assertionForm is a token request authenticated by a client assertion.
func assertionForm(jwtText string) url.Values {
	f := clientCredentials()
	f.Set("client_assertion_type", jwtBearerAssertion)
	f.Set("client_assertion", jwtText)
	return f
}

func TestClientAssertions(t *testing.T) {
	clock := newFakeClock()
	now := clock.Now()

	// A fixture with an extra ES256 client next to the default ones.
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	const ecClientID = "0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e"
	f := DefaultFixture()
	f.Clients = append(f.Clients, Client{
		ID:            ecClientID,
		Name:          "ec client",
		EnvironmentID: DemoEnvironmentID,
		AuthMethod:    AuthMethodPrivateKeyJWT,
		PublicKeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
	})
	_, ts := newTestServerWith(t, f, WithClock(clock.Now))

	endpoint := tokenURL(ts.URL, DemoEnvironmentID)
	issuer := ts.URL + "/" + DemoEnvironmentID + "/as"
	rsaKey := loadPrivateKey(t)
	secret := []byte(JWTClientSecret)
	hs := func(alg jose.SignatureAlgorithm) assertion {
		return assertion{alg: alg, key: secret, iss: JWTClientID, sub: JWTClientID, aud: []string{endpoint}, exp: now.Add(5 * time.Minute), jti: newUUID()}
	}
	pk := func(alg jose.SignatureAlgorithm) assertion {
		return assertion{alg: alg, key: rsaKey, iss: PrivateKeyClientID, sub: PrivateKeyClientID, aud: []string{endpoint}, exp: now.Add(5 * time.Minute), jti: newUUID()}
	}
	modify := func(a assertion, f func(*assertion)) assertion { f(&a); return a }

	tests := []struct {
		name   string
		a      assertion
		url    string
		status int
		desc   string
	}{
		{name: "HS256", a: hs(jose.HS256), status: 200},
		{name: "HS384", a: hs(jose.HS384), status: 200},
		{name: "HS512", a: hs(jose.HS512), status: 200},
		{name: "RS256", a: pk(jose.RS256), status: 200},
		{name: "RS384", a: pk(jose.RS384), status: 200},
		{name: "RS512", a: pk(jose.RS512), status: 200},
		{name: "ES256", a: assertion{alg: jose.ES256, key: ecKey, iss: ecClientID, sub: ecClientID, aud: []string{endpoint}, exp: now.Add(time.Minute)}, status: 200},
		{name: "issuer audience", a: modify(hs(jose.HS256), func(a *assertion) { a.aud = []string{"https://elsewhere.example", issuer} }), status: 200},
		{name: "no jti", a: modify(hs(jose.HS256), func(a *assertion) { a.jti = "" }), status: 200},
		{name: "custom domain endpoint", url: ts.URL + "/as/token", a: modify(hs(jose.HS256), func(a *assertion) { a.aud = []string{ts.URL + "/as/token"} }), status: 200},
		{name: "custom domain with issuer of environment", url: ts.URL + "/as/token", a: modify(hs(jose.HS256), func(a *assertion) { a.aud = []string{issuer} }), status: 200},
		{name: "nbf now", a: modify(pk(jose.RS256), func(a *assertion) { a.nbf = now }), status: 200},

		{name: "wrong secret", a: modify(hs(jose.HS256), func(a *assertion) { a.key = []byte(strings.Repeat("x", 64)) }), status: 401, desc: "signature verification failed"},
		{name: "wrong private key", a: modify(pk(jose.ES256), func(a *assertion) { a.key = ecKey }), status: 401, desc: "signature verification failed"},
		{name: "HMAC for private key client", a: modify(hs(jose.HS256), func(a *assertion) { a.iss, a.sub = PrivateKeyClientID, PrivateKeyClientID }), status: 401, desc: "Unsupported authentication method"},
		{name: "RSA for secret JWT client", a: modify(pk(jose.RS256), func(a *assertion) { a.iss, a.sub = JWTClientID, JWTClientID }), status: 401, desc: "Unsupported authentication method"},
		{name: "basic client using JWT", a: modify(hs(jose.HS256), func(a *assertion) { a.iss, a.sub, a.key = DemoClientID, DemoClientID, []byte(strings.Repeat("d", 32)) }), status: 401, desc: "Unsupported authentication method"},
		{name: "unknown issuer", a: modify(hs(jose.HS256), func(a *assertion) {
			a.iss, a.sub = "99999999-9999-4999-8999-999999999999", "99999999-9999-4999-8999-999999999999"
		}), status: 401, desc: "Invalid client"},
		{name: "no issuer", a: modify(hs(jose.HS256), func(a *assertion) { a.iss = "" }), status: 401, desc: "iss is missing"},
		{name: "sub differs", a: modify(hs(jose.HS256), func(a *assertion) { a.sub = "someone" }), status: 401, desc: "iss and sub"},
		{name: "wrong audience", a: modify(hs(jose.HS256), func(a *assertion) { a.aud = []string{"https://auth.pingone.com/" + DemoEnvironmentID + "/as/token"} }), status: 401, desc: "aud"},
		{name: "no exp", a: modify(hs(jose.HS256), func(a *assertion) { a.exp = time.Time{} }), status: 401, desc: "exp is missing"},
		{name: "expired", a: modify(hs(jose.HS256), func(a *assertion) { a.exp = now.Add(-time.Second) }), status: 401, desc: "expired"},
		{name: "exp too far", a: modify(hs(jose.HS256), func(a *assertion) { a.exp = now.Add(61 * time.Minute) }), status: 401, desc: "more than one hour"},
		{name: "nbf in the future", a: modify(hs(jose.HS256), func(a *assertion) { a.nbf = now.Add(time.Minute) }), status: 401, desc: "nbf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := endpoint
			if tt.url != "" {
				u = tt.url
			}
			resp := postForm(t, u, assertionForm(tt.a.sign(t)), "", "")
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			body := resp.json(t)
			if tt.status == 200 {
				if body["access_token"] == "" {
					t.Fatalf("no token: %s", resp.body)
				}
				return
			}
			if body["error"] != "invalid_client" || !strings.Contains(body["error_description"].(string), tt.desc) {
				t.Fatalf("body %s, want invalid_client mentioning %q", resp.body, tt.desc)
			}
		})
	}

	t.Run("jti replay", func(t *testing.T) {
		signed := hs(jose.HS256).sign(t)
		if resp := postForm(t, endpoint, assertionForm(signed), "", ""); resp.status != 200 {
			t.Fatalf("first use: status %d: %s", resp.status, resp.body)
		}
		resp := postForm(t, endpoint, assertionForm(signed), "", "")
		if resp.status != 401 || !strings.Contains(resp.json(t)["error_description"].(string), "jti") {
			t.Fatalf("replay: status %d: %s", resp.status, resp.body)
		}
	})
	t.Run("client_id matching iss", func(t *testing.T) {
		form := assertionForm(hs(jose.HS256).sign(t))
		form.Set("client_id", JWTClientID)
		if resp := postForm(t, endpoint, form, "", ""); resp.status != 200 {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
		form = assertionForm(hs(jose.HS256).sign(t))
		form.Set("client_id", DemoClientID)
		if resp := postForm(t, endpoint, form, "", ""); resp.status != 401 {
			t.Fatalf("mismatch: status %d: %s", resp.status, resp.body)
		}
	})
	t.Run("disabled client", func(t *testing.T) {
		f := DefaultFixture()
		for i := range f.Clients {
			if f.Clients[i].ID == JWTClientID {
				f.Clients[i].Disabled = true
			}
		}
		_, ts := newTestServerWith(t, f, WithClock(clock.Now))
		a := hs(jose.HS256)
		a.aud = []string{tokenURL(ts.URL, DemoEnvironmentID)}
		resp := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), assertionForm(a.sign(t)), "", "")
		if resp.status != http.StatusUnauthorized || !strings.Contains(resp.json(t)["error_description"].(string), "disabled") {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
	})
}
