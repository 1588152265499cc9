// Package jwtinfo decodes and verifies JWT access tokens such as the ones
// PingOne issues, for commands that show or check them. All JWS parsing and
// signature work is go-jose's; this package adds what a person wants to
// know about an access token (who issued it, for whom, until when) and
// typed errors saying what is wrong with one.
package jwtinfo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Algorithms are the signature algorithms Decode accepts. PingOne signs
// access tokens with RS256; the others are those issuers publishing their
// keys as a JWKS commonly use. Symmetric (HS*) algorithms are left out: a
// token signed with a shared secret cannot be checked against a public key
// set.
var Algorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.PS256}

// Header is a token's JOSE header.
type Header struct {
	// Algorithm is the "alg" parameter, e.g. RS256.
	Algorithm string
	// KeyID is the "kid" parameter: which of the issuer's keys signed it.
	KeyID string
	// Type is the "typ" parameter, e.g. JWT or at+jwt.
	Type string
	// Extra holds the other header parameters except an embedded "jwk",
	// which is never trusted and so not shown.
	Extra map[string]any
}

// Map returns the header parameters as a JSON object would hold them.
func (h Header) Map() map[string]any {
	m := make(map[string]any, len(h.Extra)+3)
	for k, v := range h.Extra {
		m[k] = v
	}
	m["alg"] = h.Algorithm
	if h.KeyID != "" {
		m["kid"] = h.KeyID
	}
	if h.Type != "" {
		m["typ"] = h.Type
	}
	return m
}

// Token is a decoded JWT access token. Decoding does not verify it; see
// Verify.
type Token struct {
	Header Header
	// Claims is the payload as the issuer sent it: every claim, in order.
	Claims json.RawMessage

	Issuer   string
	Subject  string
	Audience []string
	// ID is the "jti" claim.
	ID string
	// ClientID is the client the token was issued to.
	ClientID string
	// Scopes are the "scope" claim's space-separated values or, when it
	// names none, the "scp" claim's (Hydra, Okta and Entra ID issue that).
	Scopes []string
	// Env and Org are PingOne's environment and organization ID claims.
	Env string
	Org string
	// IssuedAt, NotBefore and Expiry are zero when the claim is absent.
	IssuedAt  time.Time
	NotBefore time.Time
	Expiry    time.Time
	// Other holds the claims not covered above, numbers as json.Number.
	Other map[string]any

	jws *jwt.JSONWebToken
}

// namedClaims are the claims Token has a field for.
var namedClaims = []string{"iss", "sub", "aud", "jti", "client_id", "scope", "env", "org", "iat", "nbf", "exp"}

// Clean extracts a token from what a user pastes or pipes in: it trims
// white space, surrounding quotes, and an "Authorization:" and "Bearer"
// prefix in any case.
func Clean(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if rest, ok := cutPrefixFold(s, "Authorization:"); ok {
		s = strings.TrimSpace(rest)
	}
	if rest, ok := cutPrefixFold(s, "Bearer"); ok && rest != strings.TrimLeft(rest, " \t") {
		s = strings.TrimSpace(rest)
	}
	return s
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// Decode parses a JWS compact serialization without verifying its
// signature. It returns a *MalformedError for anything that is not a JWT
// signed with one of Algorithms and carrying a JSON object of claims.
func Decode(raw string) (*Token, error) {
	parsed, err := jwt.ParseSigned(raw, Algorithms)
	if err != nil {
		if alg, ok := headerAlgorithm(raw); ok && !slices.Contains(Algorithms, jose.SignatureAlgorithm(alg)) {
			return nil, unacceptedAlgorithm(alg)
		}
		return nil, &MalformedError{Problem: "the token is not a JWT", Err: libError(err)}
	}
	if len(parsed.Headers) != 1 {
		return nil, &MalformedError{Problem: "the token does not have exactly one signature"}
	}
	t := &Token{jws: parsed, Header: header(parsed.Headers[0])}

	notClaims := &MalformedError{Problem: "the token's payload is not a JSON object of claims"}
	if err := parsed.UnsafeClaimsWithoutVerification(&t.Claims); err != nil {
		return nil, notClaims
	}
	var all map[string]any
	dec := json.NewDecoder(bytes.NewReader(t.Claims))
	dec.UseNumber()
	if err := dec.Decode(&all); err != nil || all == nil {
		return nil, notClaims
	}
	var registered jwt.Claims
	if err := parsed.UnsafeClaimsWithoutVerification(&registered); err != nil {
		return nil, &MalformedError{Problem: "the token's registered claims (iss, sub, aud, exp, nbf, iat, jti) are malformed", Err: libError(err)}
	}
	t.Issuer, t.Subject, t.ID, t.Audience = registered.Issuer, registered.Subject, registered.ID, registered.Audience
	t.IssuedAt, t.NotBefore, t.Expiry = timeOf(registered.IssuedAt), timeOf(registered.NotBefore), timeOf(registered.Expiry)
	t.ClientID = stringClaim(all, "client_id")
	t.Env = stringClaim(all, "env")
	t.Org = stringClaim(all, "org")
	t.Scopes = scopes(all["scope"])
	scopeOK := t.Scopes != nil
	if len(t.Scopes) == 0 && all["scp"] != nil {
		if scp := scopes(all["scp"]); scp != nil {
			t.Scopes = scp
			delete(all, "scp")
		}
	}
	for _, name := range namedClaims {
		if name == "scope" && all["scope"] != nil && !scopeOK {
			continue // not a string or list of strings: show it as it is
		}
		delete(all, name)
	}
	if len(all) > 0 {
		t.Other = all
	}
	return t, nil
}

// OtherNames returns the names of t.Other in sorted order.
func (t *Token) OtherNames() []string {
	names := make([]string, 0, len(t.Other))
	for name := range t.Other {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// ExpiresIn is the token's remaining lifetime at now, negative once it has
// expired. It is zero when the token has no expiry.
func (t *Token) ExpiresIn(now time.Time) time.Duration {
	if t.Expiry.IsZero() {
		return 0
	}
	return t.Expiry.Sub(now)
}

// Expired reports whether the token has an expiry and it has passed at now.
func (t *Token) Expired(now time.Time) bool {
	return !t.Expiry.IsZero() && !now.Before(t.Expiry)
}

func header(h jose.Header) Header {
	out := Header{Algorithm: h.Algorithm, KeyID: h.KeyID}
	for k, v := range h.ExtraHeaders {
		if k == jose.HeaderType {
			if s, ok := v.(string); ok {
				out.Type = s
				continue
			}
		}
		if out.Extra == nil {
			out.Extra = map[string]any{}
		}
		out.Extra[string(k)] = v
	}
	return out
}

func timeOf(d *jwt.NumericDate) time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.Time().UTC()
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}

// scopes reads a "scope" or "scp" claim: a space-separated string (RFC
// 8693, PingOne, Entra ID's scp) or a list of strings (Hydra's and Okta's
// scp).
func scopes(v any) []string {
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			str, ok := s.(string)
			if !ok {
				return nil
			}
			out = append(out, str)
		}
		return out
	}
	return nil
}

// headerAlgorithm returns the "alg" of raw's JOSE header, when raw is
// three dot-separated parts and the first is base64url JSON naming one.
func headerAlgorithm(raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	data, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return "", false
	}
	var h struct {
		Alg *string `json:"alg"`
	}
	if json.Unmarshal(data, &h) != nil || h.Alg == nil {
		return "", false
	}
	return *h.Alg, true
}

// unacceptedAlgorithm is the error for a JWT whose alg is not one of
// Algorithms: the token is a JWT, so the hint is not about its shape.
func unacceptedAlgorithm(alg string) *MalformedError {
	accepted := "p1ctl accepts tokens signed with an issuer's public key: " + algorithmNames()
	switch {
	case strings.EqualFold(alg, "none"):
		return &MalformedError{Problem: "the token is not signed (alg none), which p1ctl does not accept", Hint: accepted}
	case alg == "":
		return &MalformedError{Problem: "the token's header names no signature algorithm (empty alg)", Hint: accepted}
	default:
		return &MalformedError{Problem: "the token is signed with " + algorithmName(alg) + ", which p1ctl does not accept", Hint: accepted}
	}
}

// algorithmName shows alg as it is when it looks like an algorithm name,
// and quoted otherwise: it comes from the token, so from anyone.
func algorithmName(alg string) string {
	for _, r := range alg {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '+') {
			return fmt.Sprintf("%q", alg)
		}
	}
	if len(alg) > 32 {
		return fmt.Sprintf("%q", alg)
	}
	return alg
}

func algorithmNames() string {
	names := make([]string, len(Algorithms))
	for i, a := range Algorithms {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// libError drops go-jose's package prefix from its error messages.
func libError(err error) error {
	msg, ok := strings.CutPrefix(err.Error(), "go-jose/go-jose: ")
	if !ok {
		return err
	}
	return &wrapped{msg: msg, err: err}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }

func (w *wrapped) Unwrap() error { return w.err }
