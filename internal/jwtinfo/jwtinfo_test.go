package jwtinfo_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/jwtinfo"
)

var (
	now     = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
	ecKey   *ecdsa.PrivateKey
)

func keys(t *testing.T) (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
	return rsaKey, ecKey
}

// pingClaims are claims shaped like a PingOne worker token's.
func pingClaims() map[string]any {
	return map[string]any{
		"client_id": "5b41efba-9307-4181-b0e2-c52a68e3b165",
		"iss":       "https://auth.pingone.com/3a1498e5-ac2c-4d1c-a88e-06ceb44623a0/as",
		"aud":       []string{"https://api.pingone.com"},
		"scope":     "openid p1:read:env",
		"iat":       now.Add(-time.Minute).Unix(),
		"exp":       now.Add(59 * time.Minute).Unix(),
		"jti":       "d9a2c1e4-0000-4000-8000-000000000001",
		"env":       "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0",
		"org":       "5fa70f81-1e8a-48e7-b444-aa37e1dc248c",
	}
}

// algHint is the key fact of the hint for a JWT signed with an algorithm
// p1ctl refuses: the algorithms it accepts.
const algHint = "RS256, RS384, RS512, ES256, ES384, PS256"

// withHeader builds a compact JWS from a JSON header, an encoded payload
// and a made-up signature.
func withHeader(header, payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + payload + ".c2lnbmF0dXJl"
}

func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	var signingKey any = key
	if kid != "" {
		signingKey = jose.JSONWebKey{Key: key, KeyID: kid}
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: signingKey}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"eyJa.b.c", "eyJa.b.c"},
		{"  eyJa.b.c\n", "eyJa.b.c"},
		{"Bearer eyJa.b.c", "eyJa.b.c"},
		{"bearer\teyJa.b.c\r\n", "eyJa.b.c"},
		{"Authorization: Bearer eyJa.b.c\n", "eyJa.b.c"},
		{"AUTHORIZATION:bearer   eyJa.b.c", "eyJa.b.c"},
		{`"eyJa.b.c"`, "eyJa.b.c"},
		{"Bearereyj", "Bearereyj"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := jwtinfo.Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	rk, ek := keys(t)
	tok, err := jwtinfo.Decode(sign(t, jose.RS256, rk, "kid-1", pingClaims()))
	if err != nil {
		t.Fatal(err)
	}
	want := jwtinfo.Header{Algorithm: "RS256", KeyID: "kid-1", Type: "JWT"}
	if !reflect.DeepEqual(tok.Header, want) {
		t.Errorf("Header = %+v, want %+v", tok.Header, want)
	}
	checks := map[string][2]any{
		"Issuer":   {tok.Issuer, "https://auth.pingone.com/3a1498e5-ac2c-4d1c-a88e-06ceb44623a0/as"},
		"Audience": {tok.Audience, []string{"https://api.pingone.com"}},
		"ClientID": {tok.ClientID, "5b41efba-9307-4181-b0e2-c52a68e3b165"},
		"Scopes":   {tok.Scopes, []string{"openid", "p1:read:env"}},
		"Env":      {tok.Env, "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"},
		"Org":      {tok.Org, "5fa70f81-1e8a-48e7-b444-aa37e1dc248c"},
		"ID":       {tok.ID, "d9a2c1e4-0000-4000-8000-000000000001"},
		"IssuedAt": {tok.IssuedAt, now.Add(-time.Minute)},
		"Expiry":   {tok.Expiry, now.Add(59 * time.Minute)},
		"Other":    {tok.Other, map[string]any(nil)},
	}
	for name, c := range checks {
		if !reflect.DeepEqual(c[0], c[1]) {
			t.Errorf("%s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if !tok.NotBefore.IsZero() {
		t.Errorf("NotBefore = %v, want zero", tok.NotBefore)
	}
	var claims map[string]any
	if err := json.Unmarshal(tok.Claims, &claims); err != nil || claims["client_id"] != tok.ClientID {
		t.Errorf("Claims = %s (%v), want the payload", tok.Claims, err)
	}
	if got := tok.ExpiresIn(now); got != 59*time.Minute {
		t.Errorf("ExpiresIn = %v", got)
	}
	if tok.Expired(now) || !tok.Expired(now.Add(59*time.Minute)) {
		t.Error("Expired is wrong either side of exp")
	}

	// Other algorithms, a string audience, scopes as a list, extra claims.
	other := map[string]any{"iss": "https://x/as", "aud": "single", "scope": []string{"a", "b"}, "acr": "mfa", "n": int64(12345678901234), "nbf": now.Unix()}
	tok, err = jwtinfo.Decode(sign(t, jose.ES256, ek, "", other))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Header.Algorithm != "ES256" || tok.Header.KeyID != "" {
		t.Errorf("Header = %+v", tok.Header)
	}
	if !reflect.DeepEqual(tok.Audience, []string{"single"}) || !reflect.DeepEqual(tok.Scopes, []string{"a", "b"}) || !tok.NotBefore.Equal(now) {
		t.Errorf("Audience %q, Scopes %q, NotBefore %v", tok.Audience, tok.Scopes, tok.NotBefore)
	}
	if got := tok.OtherNames(); !reflect.DeepEqual(got, []string{"acr", "n"}) {
		t.Errorf("OtherNames = %q", got)
	}
	if tok.Other["n"] != json.Number("12345678901234") {
		t.Errorf("Other[n] = %#v, want the exact number", tok.Other["n"])
	}
	if got := tok.ExpiresIn(now); got != 0 || tok.Expired(now) {
		t.Errorf("no exp: ExpiresIn = %v, Expired = %v", got, tok.Expired(now))
	}
}

// Scopes come from "scope" or, without it, from "scp", as a list (Hydra,
// Okta) or a space-separated string (Entra ID); an scp read as scopes is
// not shown again among the other claims.
func TestDecodeScopeClaims(t *testing.T) {
	_, ek := keys(t)
	tests := []struct {
		name       string
		claims     map[string]any
		want       []string
		wantOthers []string
	}{
		{"scp list", map[string]any{"scp": []string{"read", "write"}}, []string{"read", "write"}, []string{}},
		{"scp string", map[string]any{"scp": "read write"}, []string{"read", "write"}, []string{}},
		{"scope wins over scp", map[string]any{"scope": "a", "scp": []string{"b"}}, []string{"a"}, []string{"scp"}},
		{"empty scope and scp", map[string]any{"scope": "", "scp": []string{"b"}}, []string{"b"}, []string{}},
		{"scp of numbers shown as it is", map[string]any{"scp": []int{1}}, nil, []string{"scp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := jwtinfo.Decode(sign(t, jose.ES256, ek, "", tt.claims))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tok.Scopes, tt.want) {
				t.Errorf("Scopes = %q, want %q", tok.Scopes, tt.want)
			}
			if got := tok.OtherNames(); !reflect.DeepEqual(got, tt.wantOthers) {
				t.Errorf("OtherNames = %q, want %q", got, tt.wantOthers)
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	rk, _ := keys(t)
	good := sign(t, jose.RS256, rk, "k", pingClaims())
	parts := strings.Split(good, ".")
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"opaque", "d2b7c0a1f3e94e1c9a6b", "the token is not a JWT ("},
		{"empty", "", "the token is not a JWT"},
		{"two parts", parts[0] + "." + parts[1], "the token is not a JWT"},
		{"JWE shape", "a.b.c.d.e", "the token is not a JWT"},
		{"bad base64 header", "!!!." + parts[1] + "." + parts[2], "the token is not a JWT"},
		{"HS256", sign(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), "", pingClaims()), "HS256"},
		{"RS512 is fine but ES512 is not", sign(t, jose.ES512, mustEC(t, elliptic.P521()), "", pingClaims()), "ES512"},
		{"alg none", withHeader(`{"alg":"none"}`, parts[1]), "alg none"},
		{"unknown alg", withHeader(`{"alg":"RS256x","typ":"JWT"}`, parts[1]), "RS256x"},
		{"odd alg", withHeader(`{"alg":"a b\u001b"}`, parts[1]), `"a b\x1b"`},
		{"empty alg", withHeader(`{"alg":""}`, parts[1]), "empty alg"},
		{"no alg", withHeader(`{"typ":"JWT"}`, parts[1]), "the token is not a JWT ("},
		{"payload not an object", signPayload(t, rk, `["a"]`), "not a JSON object of claims"},
		{"payload not JSON", signPayload(t, rk, `hello`), "not a JSON object of claims"},
		{"exp not a number", sign(t, jose.RS256, rk, "", map[string]any{"exp": "tomorrow"}), "registered claims"},
	}
	// The cases that are JWTs signed with an algorithm p1ctl refuses.
	refusedAlg := map[string]bool{"HS256": true, "RS512 is fine but ES512 is not": true, "alg none": true, "unknown alg": true, "odd alg": true, "empty alg": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := jwtinfo.Decode(tt.raw)
			var me *jwtinfo.MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("Decode = %v, %v; want a *MalformedError", tok, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			// A JWT with the wrong algorithm is still a JWT: it is told the
			// algorithms p1ctl accepts, and the hint describing a JWT is only
			// for what is not one.
			isJWT := refusedAlg[tt.name]
			if isJWT != strings.Contains(err.Error(), algHint) {
				t.Errorf("error %q: want the accepted algorithms named only for a JWT with a refused one", err)
			}
			if isJWT == strings.Contains(err.Error(), "pass a JWT access token") {
				t.Errorf("error %q: want the what-a-JWT-is hint only for tokens that are not JWTs", err)
			}
			if strings.Contains(err.Error(), "go-jose/go-jose:") {
				t.Errorf("error %q keeps the library prefix", err)
			}
			if tt.raw != "" && strings.Contains(err.Error(), tt.raw) {
				t.Errorf("error %q repeats the token", err)
			}
		})
	}
}

// signPayload signs an arbitrary payload, which the JWT builder refuses.
func signPayload(t *testing.T, key *rsa.PrivateKey, payload string) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustEC(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{1500 * time.Millisecond, "1s"},
		{45 * time.Second, "45s"},
		{5 * time.Minute, "5m"},
		{59*time.Minute + 12*time.Second, "59m12s"},
		{time.Hour, "1h"},
		{time.Hour + 5*time.Minute + 7*time.Second, "1h5m"},
		{30 * 24 * time.Hour, "30d"},
		{50 * time.Hour, "2d2h"},
		{-5 * time.Minute, "5m"},
	}
	for _, tt := range tests {
		if got := jwtinfo.FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestCheckIssuer(t *testing.T) {
	trusted := []string{"https://auth.pingone.eu", "https://auth.example.com/as/token"}
	tests := []struct {
		issuer string
		ok     bool
	}{
		{"https://auth.pingone.eu/3a1498e5-ac2c-4d1c-a88e-06ceb44623a0/as", true},
		{"https://AUTH.pingone.eu/x/as", true},
		{"https://auth.example.com/as", true},
		{"https://auth.pingone.com/x/as", false},
		{"https://auth.pingone.eu.evil.example/x/as", false},
		{"https://auth.pingone.eu:8443/x/as", false},
		{"https://evil.example/auth.pingone.eu/as", false},
		{"auth.pingone.eu", false},
		{"", false},
	}
	for _, tt := range tests {
		err := jwtinfo.CheckIssuer(tt.issuer, trusted...)
		if (err == nil) != tt.ok {
			t.Errorf("CheckIssuer(%q) = %v, want ok %v", tt.issuer, err, tt.ok)
			continue
		}
		var ue *jwtinfo.UntrustedIssuerError
		if err != nil && tt.issuer != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), "auth.pingone.eu, auth.example.com")) {
			t.Errorf("CheckIssuer(%q) error %q does not name the trusted hosts", tt.issuer, err)
		}
	}
	if err := jwtinfo.CheckIssuer("https://a/as"); err == nil {
		t.Error("no trusted URLs: want an error")
	}
}

func TestKeySetURL(t *testing.T) {
	tests := []struct {
		issuer, want string
	}{
		{"https://auth.pingone.com/env/as", "https://auth.pingone.com/env/as/jwks"},
		{"https://auth.pingone.com/env/as/", "https://auth.pingone.com/env/as/jwks"},
		{"http://127.0.0.1:8080/env/as", "http://127.0.0.1:8080/env/as/jwks"},
		{"http://auth.pingone.com/env/as", ""},
		{"https://auth.pingone.com/as?x=1", ""},
		{"https://user@auth.pingone.com/as", ""},
	}
	for _, tt := range tests {
		got, err := jwtinfo.KeySetURL(tt.issuer)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("KeySetURL(%q) = %q, %v; want %q", tt.issuer, got, err, tt.want)
		}
	}
}

// jwksServer serves set at /jwks, failing the test if a request carries
// credentials.
func jwksServer(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.URL.RawQuery != "" || r.Method != http.MethodGet {
			t.Errorf("key set request %s %s carries credentials or a query (Authorization %q)", r.Method, r.URL, r.Header.Get("Authorization"))
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func publicSet(t *testing.T, keys ...jose.JSONWebKey) string {
	t.Helper()
	data, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFetchKeySet(t *testing.T) {
	rk, _ := keys(t)
	good := publicSet(t, jose.JSONWebKey{Key: &rk.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"})
	tests := []struct {
		name       string
		status     int
		body       string
		wantStatus int
		wantErr    string
	}{
		{name: "ok", status: 200, body: good},
		{name: "not found", status: 404, body: `{"code":"NOT_FOUND"}`, wantStatus: 404, wantErr: "(HTTP 404)"},
		{name: "not JSON", status: 200, body: "<html>", wantErr: "not a JSON Web Key Set"},
		{name: "empty", status: 200, body: `{"keys":[]}`, wantErr: "the key set is empty"},
		{name: "too large", status: 200, body: `{"keys":[],"x":"` + strings.Repeat("a", 1<<20) + `"}`, wantErr: "larger than 1024 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jwksServer(t, tt.status, tt.body)
			set, err := jwtinfo.FetchKeySet(context.Background(), srv.Client(), srv.URL+"/jwks")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(set.Key("k1")) != 1 {
					t.Errorf("key set = %+v", set)
				}
				return
			}
			var ke *jwtinfo.KeySetError
			if !errors.As(err, &ke) || ke.Status != tt.wantStatus || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), srv.URL+"/jwks") {
				t.Errorf("FetchKeySet error = %v, want a *KeySetError with status %d containing %q and the URL", err, tt.wantStatus, tt.wantErr)
			}
		})
	}

	// Network errors come back as they are, not as a *KeySetError.
	srv := jwksServer(t, 200, good)
	srv.Close()
	_, err := jwtinfo.FetchKeySet(context.Background(), http.DefaultClient, srv.URL+"/jwks")
	var ke *jwtinfo.KeySetError
	if err == nil || errors.As(err, &ke) {
		t.Errorf("closed server: error = %v, want a network error", err)
	}
}

// issuerServer is an issuer at {URL}/tenant serving a canned answer per
// path (404 for others) and recording every path asked for.
type issuerServer struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

type canned struct {
	status int
	body   string
}

func newIssuerServer(t *testing.T, tls bool, answers func(iss string) map[string]canned) *issuerServer {
	t.Helper()
	s := &issuerServer{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Method != http.MethodGet {
			t.Errorf("%s %s carries credentials", r.Method, r.URL)
		}
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.mu.Unlock()
		a, ok := answers(s.issuer())[r.URL.Path]
		if !ok {
			a = canned{404, `{"code":"NOT_FOUND"}`}
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	})
	if tls {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *issuerServer) issuer() string { return s.URL + "/tenant" }

func (s *issuerServer) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.paths)
}

func discovery(iss, jwksURI string) string {
	data, _ := json.Marshal(map[string]string{"issuer": iss, "jwks_uri": jwksURI, "token_endpoint": iss + "/token"})
	return string(data)
}

// FindKeySet follows OpenID discovery's jwks_uri on the issuer's host only,
// falls back to {iss}/jwks without a discovery document, and tells a
// permanent 404 from a server failure.
func TestFindKeySet(t *testing.T) {
	rk, _ := keys(t)
	good := publicSet(t, jose.JSONWebKey{Key: &rk.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"})
	const disco = "/tenant/.well-known/openid-configuration"
	// elsewhere is another host (another port of the same address is
	// another origin) that must never be asked.
	elsewhere := newIssuerServer(t, false, func(string) map[string]canned { return map[string]canned{"/keys": {200, good}} })
	tests := []struct {
		name      string
		tls       bool
		answers   func(iss string) map[string]canned
		wantURL   string // suffix of the key set URL, for a success
		wantPaths []string
		wantErr   string
		notFound  bool
	}{
		{
			name: "jwks_uri from discovery",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, discovery(iss, iss+"/keys.json")}, "/tenant/keys.json": {200, good}}
			},
			wantURL: "/tenant/keys.json", wantPaths: []string{disco, "/tenant/keys.json"},
		},
		{
			name:    "no discovery document: {iss}/jwks",
			answers: func(string) map[string]canned { return map[string]canned{"/tenant/jwks": {200, good}} },
			wantURL: "/tenant/jwks", wantPaths: []string{disco, "/tenant/jwks"},
		},
		{
			name: "discovery without jwks_uri: {iss}/jwks",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, `{"issuer":"` + iss + `"}`}, "/tenant/jwks": {200, good}}
			},
			wantURL: "/tenant/jwks", wantPaths: []string{disco, "/tenant/jwks"},
		},
		{
			name: "jwks_uri on another host is not followed",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, discovery(iss, elsewhere.URL+"/keys")}, "/tenant/jwks": {200, good}}
			},
			wantPaths: []string{disco}, wantErr: "not on the issuer's host",
		},
		{
			name: "jwks_uri downgrading to plain HTTP is not followed",
			tls:  true,
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, discovery(iss, strings.Replace(iss, "https:", "http:", 1)+"/keys")}}
			},
			wantPaths: []string{disco}, wantErr: `uses "http"`,
		},
		{
			name: "discovery of another issuer",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, discovery(iss+"/other", iss+"/keys")}}
			},
			wantPaths: []string{disco}, wantErr: "names issuer",
		},
		{
			name: "oversized discovery document",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, `{"jwks_uri":"` + iss + `/jwks","x":"` + strings.Repeat("a", 256<<10) + `"}`}}
			},
			wantPaths: []string{disco}, wantErr: "larger than 256 KiB",
		},
		{
			name:      "discovery document that is not JSON",
			answers:   func(string) map[string]canned { return map[string]canned{disco: {200, "<html>"}} },
			wantPaths: []string{disco}, wantErr: "not an OpenID discovery document",
		},
		{
			name: "discovery failing is not a reason to guess",
			answers: func(string) map[string]canned {
				return map[string]canned{disco: {503, "busy"}, "/tenant/jwks": {200, good}}
			},
			wantPaths: []string{disco}, wantErr: "(HTTP 503): try again later",
		},
		{
			name:      "no discovery document and no keys",
			answers:   func(string) map[string]canned { return nil },
			wantPaths: []string{disco, "/tenant/jwks"}, wantErr: "openid-configuration nor signing keys at", notFound: true,
		},
		{
			name: "jwks_uri answering 404",
			answers: func(iss string) map[string]canned {
				return map[string]canned{disco: {200, discovery(iss, iss+"/keys.json")}}
			},
			wantPaths: []string{disco, "/tenant/keys.json"}, wantErr: "keys.json (HTTP 404)", notFound: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newIssuerServer(t, tt.tls, tt.answers)
			set, keySetURL, err := jwtinfo.FindKeySet(context.Background(), srv.Client(), srv.issuer())
			if got := srv.requested(); !slices.Equal(got, tt.wantPaths) {
				t.Errorf("requests %q, want %q", got, tt.wantPaths)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(set.Key("k1")) != 1 || keySetURL != srv.URL+tt.wantURL {
					t.Errorf("keys from %s: %+v", keySetURL, set)
				}
				return
			}
			var ke *jwtinfo.KeySetError
			if !errors.As(err, &ke) || !strings.Contains(err.Error(), tt.wantErr) || ke.NotFound() != tt.notFound {
				t.Errorf("error = %v, want a *KeySetError containing %q, NotFound %v", err, tt.wantErr, tt.notFound)
			}
			if tt.notFound && strings.Contains(err.Error(), "try again") {
				t.Errorf("a 404 is permanent: %v", err)
			}
		})
	}
	if got := elsewhere.requested(); len(got) != 0 {
		t.Errorf("the other host was asked for %q", got)
	}
}

func TestVerify(t *testing.T) {
	rk, ek := keys(t)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &other.PublicKey, KeyID: "old", Algorithm: "RS256", Use: "sig"},
		{Key: &rk.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"},
		{Key: &ek.PublicKey, KeyID: "ec", Algorithm: "ES256"},
		{Key: &rk.PublicKey, KeyID: "enc", Use: "enc"},
		{Key: &rk.PublicKey, KeyID: "ps", Algorithm: "PS256"},
	}}
	with := func(change func(map[string]any)) map[string]any {
		c := pingClaims()
		change(c)
		return c
	}
	good := sign(t, jose.RS256, rk, "k1", pingClaims())
	tests := []struct {
		name       string
		raw        string
		at         time.Time
		wantKey    string
		wantReason jwtinfo.Reason
		wantMsg    string
	}{
		{name: "good", raw: good, at: now, wantKey: "k1"},
		{name: "good ES256", raw: sign(t, jose.ES256, ek, "ec", pingClaims()), at: now, wantKey: "ec"},
		{name: "no kid tries every signing key", raw: sign(t, jose.RS256, rk, "", pingClaims()), at: now, wantKey: "k1"},
		{name: "tampered signature", raw: tamper(good, 2), at: now, wantReason: jwtinfo.ReasonSignature, wantMsg: `does not verify with the key "k1" from https://issuer/jwks`},
		{name: "tampered payload", raw: tamper(good, 1), at: now, wantReason: jwtinfo.ReasonSignature},
		{name: "signed by another key under a known kid", raw: sign(t, jose.RS256, other, "k1", pingClaims()), at: now, wantReason: jwtinfo.ReasonSignature},
		{name: "unknown kid", raw: sign(t, jose.RS256, rk, "rotated", pingClaims()), at: now, wantReason: jwtinfo.ReasonUnknownKey, wantMsg: `no key with ID "rotated" at https://issuer/jwks`},
		{name: "key for encryption only", raw: sign(t, jose.RS256, rk, "enc", pingClaims()), at: now, wantReason: jwtinfo.ReasonSignature},
		{name: "key for another algorithm", raw: sign(t, jose.RS256, rk, "ps", pingClaims()), at: now, wantReason: jwtinfo.ReasonSignature},
		{name: "expired", raw: good, at: now.Add(64 * time.Minute), wantReason: jwtinfo.ReasonExpired, wantMsg: "the token expired 5m ago (at 2026-11-24T12:59:00Z)"},
		{name: "expiring this second", raw: good, at: now.Add(59 * time.Minute), wantReason: jwtinfo.ReasonExpired},
		{name: "no exp", raw: sign(t, jose.RS256, rk, "k1", with(func(c map[string]any) { delete(c, "exp") })), at: now, wantReason: jwtinfo.ReasonNoExpiry},
		{name: "nbf within leeway", raw: sign(t, jose.RS256, rk, "k1", with(func(c map[string]any) { c["nbf"] = now.Add(30 * time.Second).Unix() })), at: now, wantKey: "k1"},
		{name: "nbf ahead", raw: sign(t, jose.RS256, rk, "k1", with(func(c map[string]any) { c["nbf"] = now.Add(10 * time.Minute).Unix() })), at: now, wantReason: jwtinfo.ReasonNotYetValid, wantMsg: "not valid before 2026-11-24T12:10:00Z (in 10m)"},
		{name: "tampered and expired says tampered", raw: tamper(good, 2), at: now.Add(2 * time.Hour), wantReason: jwtinfo.ReasonSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := jwtinfo.Decode(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			key, err := tok.Verify(set, "https://issuer/jwks", tt.at)
			if tt.wantReason == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if key.KeyID != tt.wantKey || !key.IsPublic() {
					t.Errorf("verified with %q (public %v), want %q", key.KeyID, key.IsPublic(), tt.wantKey)
				}
				return
			}
			var ve *jwtinfo.VerificationError
			if !errors.As(err, &ve) || ve.Reason != tt.wantReason {
				t.Fatalf("Verify = %v, want reason %d", err, tt.wantReason)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

// tamper changes one character in the middle of part i of a JWT, where it
// always changes the decoded bytes.
func tamper(raw string, i int) string {
	parts := strings.Split(raw, ".")
	p := []byte(parts[i])
	mid := len(p) / 2
	if p[mid] == 'A' {
		p[mid] = 'B'
	} else {
		p[mid] = 'A'
	}
	parts[i] = string(p)
	return strings.Join(parts, ".")
}
