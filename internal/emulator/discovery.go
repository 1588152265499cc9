package emulator

import (
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
)

// openIDConfiguration is the subset of OpenID Provider metadata the
// emulator publishes.
type openIDConfiguration struct {
	Issuer                   string   `json:"issuer"`
	TokenEndpoint            string   `json:"token_endpoint"`
	JWKSURI                  string   `json:"jwks_uri"`
	TokenEndpointAuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthAlgs    []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	GrantTypes               []string `json:"grant_types_supported"`
	IDTokenSigningAlgs       []string `json:"id_token_signing_alg_values_supported"`
	ResponseTypes            []string `json:"response_types_supported"`
	SubjectTypes             []string `json:"subject_types_supported"`
}

// serveJWKS answers GET [/{envId}]/as/jwks with the signing key.
func (s *Server) serveJWKS(w http.ResponseWriter, r *http.Request, pathEnv string, custom bool) {
	if _, ok := s.authEnvironment(w, pathEnv, custom); !ok {
		return
	}
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{s.publicJWK()}})
}

// serveOpenIDConfiguration answers GET [/{envId}]/as/.well-known/openid-configuration.
func (s *Server) serveOpenIDConfiguration(w http.ResponseWriter, r *http.Request, pathEnv string, custom bool) {
	envID, ok := s.authEnvironment(w, pathEnv, custom)
	if !ok {
		return
	}
	issuer := s.issuerURL(r, envID, custom)
	algs := make([]string, len(assertionAlgorithms))
	for i, a := range assertionAlgorithms {
		algs[i] = string(a)
	}
	writeJSON(w, http.StatusOK, openIDConfiguration{
		Issuer:        issuer,
		TokenEndpoint: issuer + "/token",
		JWKSURI:       issuer + "/jwks",
		TokenEndpointAuthMethods: []string{
			"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
		},
		TokenEndpointAuthAlgs: algs,
		GrantTypes:            []string{"client_credentials"},
		IDTokenSigningAlgs:    []string{string(jose.RS256)},
		ResponseTypes:         []string{"token"},
		SubjectTypes:          []string{"public"},
	})
}
