package emulator

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// tokenResponse is a successful token endpoint answer. Like PingOne's (see
// pingone-facts.md) it always carries scope: the granted scopes, space
// separated ("" when none were requested).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// grantTypeClientCredentials is the one grant type the emulator issues
// tokens for.
const grantTypeClientCredentials = "client_credentials"

// knownGrantTypes are the grant types PingOne's token endpoint supports
// besides client_credentials. A worker application configured for client
// credentials that asks for one of them is refused as unauthorized_client;
// any other grant type is unsupported_grant_type.
var knownGrantTypes = []string{
	"authorization_code",
	"refresh_token",
	"urn:ietf:params:oauth:grant-type:device_code",
	"urn:ietf:params:oauth:grant-type:token-exchange",
	"urn:ietf:params:oauth:grant-type:jwt-bearer",
	"urn:openid:params:grant-type:ciba",
}

// authEnvironment resolves the environment of an auth host path, answering
// the error itself when there is none: 400 invalid_request for an ID that
// is not a UUID, 404 NOT_FOUND for an unknown one.
func (s *Server) authEnvironment(w http.ResponseWriter, envID string, custom bool) (string, bool) {
	switch {
	case custom && envID == "":
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", msgNotFound)
		return "", false
	case !isUUID(envID):
		writeOAuthError(w, http.StatusBadRequest, "invalid_request",
			fmt.Sprintf("The environment ID %q in the request path is not a valid UUID.", envID))
		return "", false
	}
	env := s.data.envByID[idKey(envID)]
	if env == nil {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", msgNotFound)
		return "", false
	}
	return env["id"].(string), true
}

// issuerURL is the issuer of an environment's tokens as the client
// addresses the server: {base}/{envId}/as, or {base}/as for the custom
// domain shape.
func (s *Server) issuerURL(r *http.Request, envID string, custom bool) string {
	if custom {
		return s.baseURL(r) + "/as"
	}
	return s.baseURL(r) + "/" + envID + "/as"
}

// serveToken answers POST [/{envId}]/as/token (client credentials only).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, pathEnv string, custom bool) {
	envID, ok := s.authEnvironment(w, pathEnv, custom)
	if !ok {
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != formContentType {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request",
			"The request body must be "+formContentType+".")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		desc := "The request body could not be parsed."
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			desc = "The request body is too large."
		}
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", desc)
		return
	}
	for name, values := range r.PostForm {
		if len(values) > 1 {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request",
				fmt.Sprintf("The %s parameter is repeated.", name))
			return
		}
	}
	if r.PostForm.Get("grant_type") == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The grant_type parameter is required.")
		return
	}

	// The client is authenticated before its grant type is looked at
	// (RFC 6749, section 5.2): an unauthenticated caller learns nothing
	// about what the server or the application supports.
	issuer := s.issuerURL(r, envID, custom)
	audiences := []string{s.baseURL(r) + r.URL.Path, issuer}
	if custom {
		audiences = append(audiences, s.issuerURL(r, envID, false), s.baseURL(r)+"/"+envID+"/as/token")
	}
	c, fail := s.authenticateClient(r, tokenEndpoint{envID: envID, audiences: audiences})
	if fail != nil {
		fail.write(w)
		return
	}
	switch gt := r.PostForm.Get("grant_type"); {
	case gt == grantTypeClientCredentials:
	case slices.Contains(knownGrantTypes, gt):
		writeOAuthError(w, http.StatusBadRequest, "unauthorized_client",
			fmt.Sprintf("The application is not allowed the grant type %q; it allows %s.", gt, grantTypeClientCredentials))
		return
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type",
			fmt.Sprintf("The grant type %q is not supported.", gt))
		return
	}

	var scopes []string
	for _, sc := range strings.Fields(r.PostForm.Get("scope")) {
		if slices.Contains(scopes, sc) {
			continue
		}
		if !slices.Contains(c.Scopes, sc) {
			writeOAuthError(w, http.StatusBadRequest, "invalid_scope",
				fmt.Sprintf("The request could not be completed. The requested scope %q is not granted to the application.", sc))
			return
		}
		scopes = append(scopes, sc)
	}

	token, _, err := s.issueToken(c, issuer, envID, scopes)
	if err != nil {
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "The token could not be issued.")
		return
	}
	noStore(w)
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: token,
		TokenType:   "Bearer",
		ExpiresIn:   int64(s.lifetime.Seconds()),
		Scope:       strings.Join(scopes, " "),
	})
}
