package emulator

import (
	"encoding/json"
	"net/http"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestJWKS(t *testing.T) {
	_, ts := newTestServer(t)
	for _, path := range []string{"/" + DemoEnvironmentID + "/as/jwks", "/as/jwks"} {
		resp := get(t, ts.URL+path, "")
		if resp.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.status)
		}
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(resp.body, &set); err != nil {
			t.Fatal(err)
		}
		if len(set.Keys) != 1 {
			t.Fatalf("%d keys", len(set.Keys))
		}
		k := set.Keys[0]
		if k.KeyID == "" || k.Algorithm != "RS256" || k.Use != "sig" || !k.IsPublic() {
			t.Errorf("key = %+v", k)
		}
	}
}

func TestOpenIDConfiguration(t *testing.T) {
	_, ts := newTestServer(t)
	tests := []struct {
		path, issuer string
	}{
		{"/" + DemoEnvironmentID + "/as/.well-known/openid-configuration", ts.URL + "/" + DemoEnvironmentID + "/as"},
		{"/as/.well-known/openid-configuration", ts.URL + "/as"},
	}
	for _, tt := range tests {
		resp := get(t, ts.URL+tt.path, "")
		if resp.status != http.StatusOK {
			t.Fatalf("%s: status %d", tt.path, resp.status)
		}
		var cfg struct {
			Issuer        string   `json:"issuer"`
			TokenEndpoint string   `json:"token_endpoint"`
			JWKSURI       string   `json:"jwks_uri"`
			AuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
			GrantTypes    []string `json:"grant_types_supported"`
		}
		if err := json.Unmarshal(resp.body, &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg.Issuer != tt.issuer || cfg.TokenEndpoint != tt.issuer+"/token" || cfg.JWKSURI != tt.issuer+"/jwks" {
			t.Errorf("%s: %+v", tt.path, cfg)
		}
		if len(cfg.AuthMethods) != 4 || len(cfg.GrantTypes) != 1 || cfg.GrantTypes[0] != "client_credentials" {
			t.Errorf("%s: %+v", tt.path, cfg)
		}
	}
}

func TestDiscoveryErrors(t *testing.T) {
	s, ts := newTestServer(t)
	tests := []struct {
		path   string
		status int
		field  string
		value  string
	}{
		{"/99999999-9999-4999-8999-999999999999/as/jwks", 404, "code", "NOT_FOUND"},
		{"/nope/as/jwks", 400, "error", "invalid_request"},
		{"/99999999-9999-4999-8999-999999999999/as/.well-known/openid-configuration", 404, "code", "NOT_FOUND"},
	}
	for _, tt := range tests {
		resp := get(t, ts.URL+tt.path, "")
		if resp.status != tt.status || resp.json(t)[tt.field] != tt.value {
			t.Errorf("%s: status %d: %s", tt.path, resp.status, resp.body)
		}
	}
	if s.Count(EndpointJWKS) != 2 || s.Count(EndpointOpenIDConfiguration) != 1 {
		t.Errorf("counts: jwks %d, openid-configuration %d", s.Count(EndpointJWKS), s.Count(EndpointOpenIDConfiguration))
	}
}
