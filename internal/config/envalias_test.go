package config_test

import (
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

// The variables Ping's SDKs and Terraform's provider use for domains and
// hosts are read too, converted into p1ctl's settings.
func TestLoadConvertedEnvAliases(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		profile    map[string]string
		wantRegion string
		wantAuth   string
		wantToken  string
		wantAPI    string
		wantSource map[string]string // key -> environment variable it came from
	}{
		{
			name:       "top-level domain",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu"},
			wantRegion: "EU", wantAuth: "https://auth.pingone.eu", wantToken: "https://auth.pingone.eu/" + envIDEnv + "/as/token", wantAPI: "https://api.pingone.eu/v1",
			wantSource: map[string]string{config.KeyRootDomain: "PINGONE_TOP_LEVEL_DOMAIN"},
		},
		{
			name:       "top-level domain with a leading dot, any case",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": " .COM.AU "},
			wantRegion: "AU", wantAuth: "https://auth.pingone.com.au", wantAPI: "https://api.pingone.com.au/v1",
		},
		{
			name:       "p1ctl's own variable beats the alias",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu", "PINGONE_ROOT_DOMAIN": "pingone.ca"},
			wantRegion: "CA",
			wantSource: map[string]string{config.KeyRootDomain: "PINGONE_ROOT_DOMAIN"},
		},
		{
			name:       "the alias beats the profile",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu"},
			profile:    map[string]string{config.KeyRootDomain: "pingone.sg"},
			wantRegion: "EU",
		},
		{
			name:       "a flag beats the alias",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu"},
			args:       []string{"--root-domain", "pingone.asia"},
			wantRegion: "AP",
		},
		{
			name:      "service host names",
			env:       map[string]string{"PINGONE_AUTH_SERVICE_HOSTNAME": "auth.pingone.ca", "PINGONE_API_SERVICE_HOSTNAME": "api.pingone.ca"},
			wantAuth:  "https://auth.pingone.ca",
			wantToken: "https://auth.pingone.ca/" + envIDEnv + "/as/token",
			wantAPI:   "https://api.pingone.ca/v1",
			wantSource: map[string]string{
				config.KeyAuthURL: "PINGONE_AUTH_SERVICE_HOSTNAME",
				config.KeyAPIURL:  "PINGONE_API_SERVICE_HOSTNAME",
			},
		},
		{
			name:       "the SDK's API domain comes before the older host name",
			env:        map[string]string{"PINGONE_API_DOMAIN": "api.pingone.eu", "PINGONE_API_SERVICE_HOSTNAME": "api.pingone.ca"},
			wantAPI:    "https://api.pingone.eu/v1",
			wantSource: map[string]string{config.KeyAPIURL: "PINGONE_API_DOMAIN"},
		},
		{
			name:       "p1ctl's URL beats the host name",
			env:        map[string]string{"PINGONE_API_URL": "https://api.pingone.sg/v1", "PINGONE_API_DOMAIN": "api.pingone.eu"},
			wantAPI:    "https://api.pingone.sg/v1",
			wantSource: map[string]string{config.KeyAPIURL: "PINGONE_API_URL"},
		},
		{
			name:       "a blank alias is unset",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "  "},
			profile:    map[string]string{config.KeyRootDomain: "pingone.sg"},
			wantRegion: "SG",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, tt.profile, tt.env)
			t.Setenv("PINGONE_ENVIRONMENT_ID", envIDEnv)
			s := mustLoad(t, tt.args...)
			check := func(what, got, want string) {
				t.Helper()
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("region", s.Region.Code, tt.wantRegion)
			check("auth base URL", s.AuthBaseURL, tt.wantAuth)
			check("token URL", s.TokenURL, tt.wantToken)
			check("API URL", s.APIURL, tt.wantAPI)
			for key, env := range tt.wantSource {
				want := config.Source{Kind: config.FromEnv, Name: env}
				if k, _ := config.LookupKey(key); env != k.Env[0] {
					want.AliasOf = k.Env[0]
				}
				if got := s.Sources[key]; got != want {
					t.Errorf("Sources[%q] = %v, want %v", key, got, want)
				}
			}
		})
	}
}

func TestLoadConvertedEnvAliasErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"unknown top-level domain", map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "org"}, []string{`PINGONE_TOP_LEVEL_DOMAIN="org"`, "not a PingOne top-level domain", "com, eu, ca, asia, com.au, sg", "fix or unset PINGONE_TOP_LEVEL_DOMAIN"}},
		{"a URL where a host name goes", map[string]string{"PINGONE_API_SERVICE_HOSTNAME": "https://api.pingone.eu"}, []string{"PINGONE_API_SERVICE_HOSTNAME", "give a host name such as api.pingone.eu", "fix or unset PINGONE_API_SERVICE_HOSTNAME"}},
		{"an auth URL where a host name goes", map[string]string{"PINGONE_AUTH_SERVICE_HOSTNAME": "https://auth.pingone.eu"}, []string{"PINGONE_AUTH_SERVICE_HOSTNAME", "such as auth.pingone.eu"}},
		{"a host name with a query", map[string]string{"PINGONE_API_DOMAIN": "api.pingone.eu?x"}, []string{`PINGONE_API_DOMAIN="api.pingone.eu?x"`, "fix or unset PINGONE_API_DOMAIN"}},
		{"a host name with a space", map[string]string{"PINGONE_AUTH_SERVICE_HOSTNAME": "auth pingone.eu"}, []string{`PINGONE_AUTH_SERVICE_HOSTNAME="auth pingone.eu"`, "fix or unset PINGONE_AUTH_SERVICE_HOSTNAME"}},
		{"a region that disagrees", map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu", "PINGONE_REGION": "CA"}, []string{"region CA", "environment variable PINGONE_REGION", "pingone.eu", "environment variable PINGONE_TOP_LEVEL_DOMAIN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, nil)
			wantConfigError(t, err, tt.want...)
		})
	}
}
