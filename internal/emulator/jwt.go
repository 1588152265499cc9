package emulator

import (
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Audiences of issued access tokens.
const (
	// APIAudience is the audience of every token the emulator issues: the
	// PingOne management API, as in real PingOne worker tokens.
	APIAudience = "https://api.pingone.com"
	// CustomAudience is added to the audience when custom scopes are
	// requested (standing for the custom resource defining them).
	CustomAudience = "https://custom-resource.p1emu.invalid"
)

// accessClaims are the claims of an issued access token.
type accessClaims struct {
	ClientID string   `json:"client_id"`
	Issuer   string   `json:"iss"`
	Audience []string `json:"aud"`
	Scope    string   `json:"scope,omitempty"` // absent when no scope was granted
	IssuedAt int64    `json:"iat"`
	Expiry   int64    `json:"exp"`
	ID       string   `json:"jti"`
	Env      string   `json:"env"`
	Org      string   `json:"org"`
}

// keyID derives a stable key ID (RFC 7638 thumbprint) for the signing key.
func keyID(pub *rsa.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: pub}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// publicJWK is the signing key as published at the JWKS endpoint.
func (s *Server) publicJWK() jose.JSONWebKey {
	return jose.JSONWebKey{
		Key:       &s.signKey.PublicKey,
		KeyID:     s.kid,
		Algorithm: string(jose.RS256),
		Use:       "sig",
	}
}

// issueToken signs an access token for client c and remembers it as live.
func (s *Server) issueToken(c *clientRecord, issuer, envID string, scopes []string) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(s.lifetime)
	aud := []string{APIAudience}
	if len(scopes) > 0 {
		aud = append(aud, CustomAudience)
	}
	claims := accessClaims{
		ClientID: c.ID,
		Issuer:   issuer,
		Audience: aud,
		Scope:    strings.Join(scopes, " "),
		IssuedAt: now.Unix(),
		Expiry:   exp.Unix(),
		ID:       newUUID(),
		Env:      envID,
		Org:      s.data.orgID,
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: s.signKey, KeyID: s.kid}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("new signer: %w", err)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign access token: %w", err)
	}
	s.mu.Lock()
	s.issued[claims.ID] = time.Unix(claims.Expiry, 0)
	if len(s.issued)%1024 == 0 {
		pruneExpired(s.issued, now)
	}
	s.mu.Unlock()
	return token, exp, nil
}

// RevokeTokens makes every access token issued so far invalid: the
// management API answers 401 to them. Tokens issued afterwards work.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.issued)
}

// errInvalidToken is the reason a bearer token is refused.
var errInvalidToken = errors.New("invalid access token")

// authenticate returns the client behind the request's bearer token. The
// returned bool is true when no token was sent at all.
func (s *Server) authenticate(r *http.Request) (*clientRecord, bool, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, r.Header.Get("Authorization") == "", errInvalidToken
	}
	parsed, err := jwt.ParseSigned(strings.TrimSpace(token), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", errInvalidToken, err)
	}
	if len(parsed.Headers) != 1 || parsed.Headers[0].KeyID != s.kid {
		return nil, false, fmt.Errorf("%w: unknown key", errInvalidToken)
	}
	var claims accessClaims
	if err := parsed.Claims(&s.signKey.PublicKey, &claims); err != nil {
		return nil, false, fmt.Errorf("%w: %w", errInvalidToken, err)
	}
	now := s.now()
	if !now.Before(time.Unix(claims.Expiry, 0)) {
		return nil, false, fmt.Errorf("%w: expired", errInvalidToken)
	}
	if !slices.Contains(claims.Audience, APIAudience) {
		return nil, false, fmt.Errorf("%w: wrong audience", errInvalidToken)
	}
	s.mu.Lock()
	_, live := s.issued[claims.ID]
	s.mu.Unlock()
	if !live {
		return nil, false, fmt.Errorf("%w: revoked", errInvalidToken)
	}
	c := s.data.clients[idKey(claims.ClientID)]
	if c == nil || c.Disabled {
		return nil, false, fmt.Errorf("%w: unknown client", errInvalidToken)
	}
	return c, false, nil
}

// pruneExpired drops entries whose expiry has passed.
func pruneExpired(m map[string]time.Time, now time.Time) {
	for k, exp := range m {
		if !now.Before(exp) {
			delete(m, k)
		}
	}
}
