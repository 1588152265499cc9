package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// jwtBearerAssertion is the client_assertion_type of JWT client
// authentication (RFC 7523).
const jwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// maxAssertionLifetime is how far in the future an assertion may expire.
const maxAssertionLifetime = time.Hour

// assertionAlgorithms are the signature algorithms PingOne accepts for
// client assertions.
var assertionAlgorithms = []jose.SignatureAlgorithm{
	jose.HS256, jose.HS384, jose.HS512,
	jose.RS256, jose.RS384, jose.RS512,
	jose.ES256,
}

// Descriptions of invalid_client errors (the correlation ID is appended).
const (
	descUnsupportedMethod = "Request denied: Unsupported authentication method"
	descUnknownClient     = "Request denied: Invalid client"
	descDisabledClient    = "Request denied: The application is disabled"
	descBadAssertion      = "Request denied: Invalid client assertion"
)

// authFailure is a refused token request: an OAuth error to answer.
type authFailure struct {
	status      int
	code        string
	description string
	basic       bool // client tried HTTP Basic: add a Basic challenge
}

// invalidClient is a 401 invalid_client failure.
func invalidClient(description string) *authFailure {
	return &authFailure{status: http.StatusUnauthorized, code: "invalid_client", description: description}
}

// invalidRequest is a 400 invalid_request failure.
func invalidRequest(description string) *authFailure {
	return &authFailure{status: http.StatusBadRequest, code: "invalid_request", description: description}
}

// write answers the failure.
func (f *authFailure) write(w http.ResponseWriter) {
	if f.basic && f.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="PingOne"`)
	}
	writeOAuthError(w, f.status, f.code, f.description)
}

// tokenEndpoint describes the token endpoint a request came to, for
// checking assertion audiences.
type tokenEndpoint struct {
	envID     string   // environment the request is for
	audiences []string // acceptable "aud" values of client assertions
}

// authenticateClient identifies and authenticates the client of a token
// request by whichever single method it used.
func (s *Server) authenticateClient(r *http.Request, ep tokenEndpoint) (*clientRecord, *authFailure) {
	form := r.PostForm
	basicID, basicSecret, hasBasic := r.BasicAuth()
	hasAuthz := r.Header.Get("Authorization") != ""
	hasPost := form.Has("client_secret")
	hasJWT := form.Has("client_assertion") || form.Has("client_assertion_type")
	formID := form.Get("client_id")

	used := 0
	for _, b := range []bool{hasAuthz, hasPost, hasJWT} {
		if b {
			used++
		}
	}
	if used > 1 {
		f := invalidRequest("The request uses more than one client authentication method.")
		f.basic = hasBasic
		return nil, f
	}

	switch {
	case hasAuthz && !hasBasic:
		return nil, invalidClient(descUnsupportedMethod)
	case hasBasic:
		id, secret := formUnescape(basicID), formUnescape(basicSecret)
		if formID != "" && formID != id {
			f := invalidRequest("The client_id parameter does not match the client authenticated by HTTP Basic.")
			f.basic = true
			return nil, f
		}
		c, fail := s.checkSecret(ep.envID, id, secret, AuthMethodClientSecretBasic)
		if fail != nil {
			fail.basic = true
		}
		return c, fail
	case hasPost:
		if formID == "" {
			return nil, invalidRequest("The client_id parameter is required with client_secret.")
		}
		return s.checkSecret(ep.envID, formID, form.Get("client_secret"), AuthMethodClientSecretPost)
	case hasJWT:
		if t := form.Get("client_assertion_type"); t != jwtBearerAssertion {
			return nil, invalidRequest(fmt.Sprintf("Unsupported client_assertion_type %q.", t))
		}
		assertion := form.Get("client_assertion")
		if assertion == "" {
			return nil, invalidRequest("The client_assertion parameter is required.")
		}
		return s.checkAssertion(ep, assertion, formID)
	case formID != "":
		// Client ID alone: a public client, which client_credentials
		// does not allow.
		if s.clientIn(ep.envID, formID) == nil {
			return nil, invalidClient(descUnknownClient)
		}
		return nil, invalidClient(descUnsupportedMethod)
	default:
		return nil, invalidClient(descUnsupportedMethod)
	}
}

// clientIn returns the client with that ID living in envID, or nil.
func (s *Server) clientIn(envID, clientID string) *clientRecord {
	c := s.data.clients[idKey(clientID)]
	if c == nil || idKey(c.EnvironmentID) != idKey(envID) {
		return nil
	}
	return c
}

// checkSecret authenticates a client by its secret.
func (s *Server) checkSecret(envID, id, secret, method string) (*clientRecord, *authFailure) {
	c := s.clientIn(envID, id)
	if c == nil {
		return nil, invalidClient(descUnknownClient)
	}
	if c.AuthMethod != method {
		return nil, invalidClient(descUnsupportedMethod)
	}
	if !s.secretMatches(c, secret) {
		// PingOne's (misleading) wording for a wrong secret.
		return nil, invalidClient(descUnsupportedMethod)
	}
	if c.Disabled {
		return nil, invalidClient(descDisabledClient)
	}
	return c, nil
}

// checkAssertion authenticates a client by a signed JWT (client_secret_jwt
// or private_key_jwt).
func (s *Server) checkAssertion(ep tokenEndpoint, assertion, formID string) (*clientRecord, *authFailure) {
	bad := func(reason string) *authFailure { return invalidClient(descBadAssertion + ": " + reason) }

	tok, err := jwt.ParseSigned(assertion, assertionAlgorithms)
	if err != nil || len(tok.Headers) != 1 {
		return nil, bad("not a signed JWT with a supported algorithm")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, bad("unreadable claims")
	}
	id := unverified.Issuer
	if id == "" {
		return nil, bad("iss is missing")
	}
	if formID != "" && formID != id {
		return nil, bad("client_id does not match iss")
	}
	c := s.clientIn(ep.envID, id)
	if c == nil {
		return nil, invalidClient(descUnknownClient)
	}

	var keys []any
	switch alg := tok.Headers[0].Algorithm; {
	case strings.HasPrefix(alg, "HS"):
		if c.AuthMethod != AuthMethodClientSecretJWT {
			return nil, invalidClient(descUnsupportedMethod)
		}
		// Any secret the client may use now: a kept previous one too.
		for _, secret := range s.secretsOf(c) {
			keys = append(keys, []byte(secret))
		}
	default:
		if c.AuthMethod != AuthMethodPrivateKeyJWT {
			return nil, invalidClient(descUnsupportedMethod)
		}
		keys = append(keys, c.publicKey)
	}
	var claims jwt.Claims
	verified := false
	for _, key := range keys {
		if tok.Claims(key, &claims) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return nil, bad("signature verification failed")
	}

	now := s.now()
	switch {
	case claims.Issuer != c.ID || claims.Subject != c.ID:
		return nil, bad("iss and sub must both be the client ID")
	case !slices.ContainsFunc(ep.audiences, func(a string) bool { return audienceContains(claims.Audience, a) }):
		return nil, bad("aud must be the token endpoint or the issuer")
	case claims.Expiry == nil:
		return nil, bad("exp is missing")
	case !now.Before(claims.Expiry.Time()):
		return nil, bad("the assertion has expired")
	case claims.Expiry.Time().Sub(now) > maxAssertionLifetime:
		return nil, bad("exp is more than one hour ahead")
	case claims.NotBefore != nil && claims.NotBefore.Time().After(now):
		return nil, bad("nbf is in the future")
	}
	if claims.ID != "" && !s.useAssertionID(c.ID, claims.ID, claims.Expiry.Time(), now) {
		return nil, bad("jti has already been used")
	}
	if c.Disabled {
		return nil, invalidClient(descDisabledClient)
	}
	return c, nil
}

// useAssertionID records an assertion jti, reporting false if the client
// already used it.
func (s *Server) useAssertionID(clientID, jti string, exp, now time.Time) bool {
	key := idKey(clientID) + "\x00" + jti
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.assertions[key]; seen {
		return false
	}
	if len(s.assertions) >= 1024 {
		pruneExpired(s.assertions, now)
	}
	s.assertions[key] = exp
	return true
}

// audienceContains compares audiences, ignoring a trailing slash.
func audienceContains(aud jwt.Audience, want string) bool {
	want = strings.TrimSuffix(want, "/")
	for _, a := range aud {
		if strings.TrimSuffix(a, "/") == want {
			return true
		}
	}
	return false
}

// formUnescape undoes the form-encoding RFC 6749 (section 2.3.1) applies to
// HTTP Basic client credentials; values that are not validly encoded are
// used as is.
func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
