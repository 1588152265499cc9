package config_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/spf13/pflag"
	"github.com/zalando/go-keyring"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// profileYAML renders a config file whose profile name holds values.
func profileYAML(name string, values map[string]string) string {
	var b strings.Builder
	b.WriteString("profiles:\n  " + name + ":\n")
	for k, v := range values {
		fmt.Fprintf(&b, "    %s: %s\n", k, strconv.Quote(v))
	}
	return b.String()
}

// layerValues are valid values for one key in each layer.
type layerValues struct{ flag, env, profile string }

// keyValues returns a valid value per layer for every key in config.Keys.
// File-valued keys get real files under dir.
func keyValues(t *testing.T, dir string) map[string]layerValues {
	t.Helper()
	secretFile := func(name string) string {
		return writeFile(t, filepath.Join(dir, name), name+"-secret\n", 0o600)
	}
	// A profile's keychain reference resolves only to an item that exists.
	if err := keyring.Set(keychain.Service, config.DefaultProfileName, "keychain-secret"); err != nil {
		t.Fatal(err)
	}
	return map[string]layerValues{
		config.KeyClientSecretStore: {"", "", config.StoreKeyring},
		config.KeyClientID:          {"flag-client", "env-client", "profile-client"},
		config.KeyClientSecret:      {"", "env-secret", "profile-secret"},
		config.KeyClientSecretFile:  {secretFile("flag"), secretFile("env"), secretFile("profile")},
		config.KeyEnvironmentID:     {envIDFlag, envIDEnv, envIDProfile},
		config.KeyRegion:            {"EU", "CA", "AU"},
		config.KeyRootDomain:        {"pingone.eu", "pingone.ca", "pingone.sg"},
		config.KeyCustomDomain:      {"flag.example.com", "env.example.com", "profile.example.com"},
		config.KeyAuthURL:           {"https://auth.flag.example", "https://auth.env.example", "https://auth.profile.example"},
		config.KeyTokenURL:          {"https://flag.example/as/token", "https://env.example/as/token", "https://profile.example/as/token"},
		config.KeyAPIURL:            {"https://api.flag.example/v1", "https://api.env.example/v1", "https://api.profile.example/v1"},
		config.KeyAuthMethod:        {"client_secret_post", "client_secret_jwt", "private_key_jwt"},
		config.KeyPrivateKeyFile:    {"/keys/flag.pem", "/keys/env.pem", "/keys/profile.pem"},
		config.KeyKeyID:             {"flag-kid", "env-kid", "profile-kid"},
	}
}

func TestLoadPrecedenceEveryKey(t *testing.T) {
	for _, k := range config.Keys {
		type layerCase struct {
			name       string
			useFlag    bool
			env        string // the variable to set, or ""
			useProfile bool
			wantLayer  config.SourceKind
			wantName   string // Source.Name
		}
		cases := []layerCase{{name: "default", wantLayer: config.FromDefault}}
		cases = append(cases, layerCase{name: "profile", useProfile: true, wantLayer: config.FromProfile, wantName: config.DefaultProfileName})
		for _, env := range k.Env {
			cases = append(cases, layerCase{name: "env " + env + " over profile", env: env, useProfile: true, wantLayer: config.FromEnv, wantName: env})
		}
		if k.Flag != "" {
			cases = append(cases, layerCase{name: "flag over env and profile", useFlag: true, env: k.Env[0], useProfile: true, wantLayer: config.FromFlag, wantName: k.Flag})
		}
		for _, tc := range cases {
			t.Run(k.Name+"/"+tc.name, func(t *testing.T) {
				home := isolate(t)
				vals := keyValues(t, t.TempDir())[k.Name]
				path := defaultConfigPath(home)
				if tc.useProfile {
					writeFile(t, path, profileYAML(config.DefaultProfileName, map[string]string{k.Name: vals.profile}), 0o600)
				}
				if tc.env != "" {
					t.Setenv(tc.env, vals.env)
				}
				var args []string
				if tc.useFlag {
					args = append(args, "--"+k.Flag+"="+vals.flag)
				}
				s := mustLoad(t, args...)

				want := map[config.SourceKind]string{config.FromDefault: "", config.FromProfile: vals.profile, config.FromEnv: vals.env, config.FromFlag: vals.flag}[tc.wantLayer]
				if got := s.Values[k.Name]; got != want {
					t.Errorf("Values[%q] = %q, want %q", k.Name, got, want)
				}
				wantSrc := config.Source{Kind: tc.wantLayer, Name: tc.wantName}
				if tc.wantLayer == config.FromProfile {
					wantSrc.File = path
				}
				if tc.wantLayer == config.FromEnv && tc.env != k.Env[0] {
					// Another tool's name for the variable: the source
					// says whose alias it is.
					wantSrc.AliasOf = k.Env[0]
				}
				if got := s.Sources[k.Name]; got != wantSrc {
					t.Errorf("Sources[%q] = %#v, want %#v", k.Name, got, wantSrc)
				}
			})
		}
	}
}

func TestLoadEnvAliases(t *testing.T) {
	tests := []struct {
		env   string
		value string
		check func(*config.Settings) string
		want  string
	}{
		{"PINGONE_CLIENT_ID", "primary-id", func(s *config.Settings) string { return s.ClientID }, "primary-id"},
		{"PINGONE_CLIENT_CREDENTIALS_CLIENT_ID", "sdk-id", func(s *config.Settings) string { return s.ClientID }, "sdk-id"},
		{"PINGONE_CLIENT_SECRET", "primary-secret", func(s *config.Settings) string { return s.ClientSecret }, "primary-secret"},
		{"PINGONE_CLIENT_CREDENTIALS_CLIENT_SECRET", "sdk-secret", func(s *config.Settings) string { return s.ClientSecret }, "sdk-secret"},
		{"PINGONE_REGION", "eu", func(s *config.Settings) string { return s.Region.Code }, "EU"},
		{"PINGONE_REGION_CODE", "AP", func(s *config.Settings) string { return s.Region.Code }, "AP"},
		{"PINGONE_ROOT_DOMAIN", "pingone.com.au", func(s *config.Settings) string { return s.Region.Code }, "AU"},
		{"PINGONE_ENVIRONMENT_ID", envIDEnv, func(s *config.Settings) string { return s.EnvironmentID }, envIDEnv},
		{"PINGONE_CUSTOM_DOMAIN", "auth.example.com", func(s *config.Settings) string { return s.CustomDomain }, "auth.example.com"},
		{"PINGONE_AUTH_URL", "https://auth.example.test", func(s *config.Settings) string { return s.AuthBaseURL }, "https://auth.example.test"},
		{"PINGONE_TOKEN_URL", "https://auth.example.test/x/as/token", func(s *config.Settings) string { return s.TokenURL }, "https://auth.example.test/x/as/token"},
		{"PINGONE_API_URL", "https://api.example.test/v1", func(s *config.Settings) string { return s.APIURL }, "https://api.example.test/v1"},
		{"PINGONE_AUTH_METHOD", "CLIENT_SECRET_POST", func(s *config.Settings) string { return s.AuthMethod }, "client_secret_post"},
		{"PINGONE_PRIVATE_KEY_FILE", "/k.pem", func(s *config.Settings) string { return s.PrivateKeyFile }, "/k.pem"},
		{"PINGONE_KEY_ID", "kid-1", func(s *config.Settings) string { return s.KeyID }, "kid-1"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			isolate(t)
			t.Setenv(tt.env, tt.value)
			s := mustLoad(t)
			if got := tt.check(s); got != tt.want {
				t.Errorf("%s=%q: got %q, want %q", tt.env, tt.value, got, tt.want)
			}
		})
	}
}

// p1ctl's own variable wins over the other tools' names for the same value.
func TestLoadPrimaryEnvBeatsAlias(t *testing.T) {
	for _, k := range config.Keys {
		if len(k.Env) < 2 {
			continue
		}
		t.Run(k.Name, func(t *testing.T) {
			isolate(t)
			vals := map[string][2]string{
				config.KeyClientID:     {"primary", "alias"},
				config.KeyClientSecret: {"primary", "alias"},
				config.KeyRegion:       {"EU", "CA"},
			}[k.Name]
			if vals[0] == "" {
				t.Fatalf("no test values for %s", k.Name)
			}
			t.Setenv(k.Env[0], vals[0])
			t.Setenv(k.Env[1], vals[1])
			s := mustLoad(t)
			if got := s.Values[k.Name]; got != vals[0] {
				t.Errorf("Values[%q] = %q, want %q from %s", k.Name, got, vals[0], k.Env[0])
			}
			if got := s.Sources[k.Name]; got != (config.Source{Kind: config.FromEnv, Name: k.Env[0]}) {
				t.Errorf("Sources[%q] = %#v, want %s", k.Name, got, k.Env[0])
			}
		})
	}
}

func TestLoadRegions(t *testing.T) {
	tests := []struct {
		region   string
		wantCode string
		wantAuth string
		wantAPI  string
	}{
		{"NA", "NA", "https://auth.pingone.com", "https://api.pingone.com/v1"},
		{"na", "NA", "https://auth.pingone.com", "https://api.pingone.com/v1"},
		{"EU", "EU", "https://auth.pingone.eu", "https://api.pingone.eu/v1"},
		{"Eu", "EU", "https://auth.pingone.eu", "https://api.pingone.eu/v1"},
		{"CA", "CA", "https://auth.pingone.ca", "https://api.pingone.ca/v1"},
		{"ca", "CA", "https://auth.pingone.ca", "https://api.pingone.ca/v1"},
		{"AP", "AP", "https://auth.pingone.asia", "https://api.pingone.asia/v1"},
		{"ap", "AP", "https://auth.pingone.asia", "https://api.pingone.asia/v1"},
		{"ASIA", "AP", "https://auth.pingone.asia", "https://api.pingone.asia/v1"},
		{"asia", "AP", "https://auth.pingone.asia", "https://api.pingone.asia/v1"},
		{"Asia", "AP", "https://auth.pingone.asia", "https://api.pingone.asia/v1"},
		{"AU", "AU", "https://auth.pingone.com.au", "https://api.pingone.com.au/v1"},
		{"au", "AU", "https://auth.pingone.com.au", "https://api.pingone.com.au/v1"},
		{"SG", "SG", "https://auth.pingone.sg", "https://api.pingone.sg/v1"},
		{"sg", "SG", "https://auth.pingone.sg", "https://api.pingone.sg/v1"},
		{" sg ", "SG", "https://auth.pingone.sg", "https://api.pingone.sg/v1"},
	}
	for _, tt := range tests {
		for _, via := range []string{"flag", "env"} {
			t.Run(via+"/"+tt.region, func(t *testing.T) {
				isolate(t)
				args := []string{"--environment-id", envIDFlag}
				if via == "flag" {
					args = append(args, "--region", tt.region)
				} else {
					t.Setenv("PINGONE_REGION", tt.region)
				}
				s := mustLoad(t, args...)
				if s.Region.Code != tt.wantCode {
					t.Errorf("Region.Code = %q, want %q", s.Region.Code, tt.wantCode)
				}
				if s.AuthBaseURL != tt.wantAuth {
					t.Errorf("AuthBaseURL = %q, want %q", s.AuthBaseURL, tt.wantAuth)
				}
				if s.APIURL != tt.wantAPI {
					t.Errorf("APIURL = %q, want %q", s.APIURL, tt.wantAPI)
				}
				if want := tt.wantAuth + "/" + envIDFlag + "/as/token"; s.TokenURL != want {
					t.Errorf("TokenURL = %q, want %q", s.TokenURL, want)
				}
				if want := tt.wantAuth + "/" + envIDFlag + "/as"; s.IssuerURL() != want {
					t.Errorf("IssuerURL() = %q, want %q", s.IssuerURL(), want)
				}
			})
		}
	}
}

func TestLoadAllRegionsListed(t *testing.T) {
	want := []string{"NA", "EU", "CA", "AP", "AU", "SG"}
	if got := config.RegionCodes(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("RegionCodes() = %q, want %q", got, want)
	}
	for _, code := range want {
		r, err := config.LookupRegion(strings.ToLower(code))
		if err != nil || r.Code != code {
			t.Errorf("LookupRegion(%q) = %v, %v", strings.ToLower(code), r, err)
		}
		if got, ok := config.RegionForHost("AUTH." + strings.ToUpper(r.RootDomain)); !ok || got != r {
			t.Errorf("RegionForHost(auth.%s) = %v, %v", r.RootDomain, got, ok)
		}
		if got, ok := config.RegionForHost("api." + r.RootDomain); !ok || got != r {
			t.Errorf("RegionForHost(api.%s) = %v, %v", r.RootDomain, got, ok)
		}
	}
	if _, ok := config.RegionForHost("auth.example.com"); ok {
		t.Errorf("RegionForHost(auth.example.com) found a region")
	}
}

func TestLoadRootDomains(t *testing.T) {
	tests := []struct {
		domain   string
		wantCode string
	}{
		{"pingone.com", "NA"},
		{"pingone.eu", "EU"},
		{"PINGONE.EU", "EU"},
		{"pingone.ca", "CA"},
		{"pingone.asia", "AP"},
		{"pingone.com.au", "AU"},
		{"pingone.sg", "SG"},
		{"pingone.sg.", "SG"},
		{"auth.pingone.eu", "EU"},
		{"api.pingone.com.au", "AU"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			isolate(t)
			s := mustLoad(t, "--root-domain", tt.domain)
			if s.Region.Code != tt.wantCode {
				t.Errorf("--root-domain %s: region %q, want %q", tt.domain, s.Region.Code, tt.wantCode)
			}
			wantAPI := "https://api." + s.Region.RootDomain + "/v1"
			if s.APIURL != wantAPI {
				t.Errorf("APIURL = %q, want %q", s.APIURL, wantAPI)
			}
		})
	}
}

func TestLoadRegionErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantKey string
		want    []string
	}{
		{"unknown region flag", []string{"--region", "XX"}, nil, config.KeyRegion, []string{`unknown region "XX"`, "NA, EU, CA, AP, AU, SG", "--region", "PINGONE_REGION"}},
		{"unknown region env alias", nil, map[string]string{"PINGONE_REGION_CODE": "US"}, config.KeyRegion, []string{`unknown region "US"`, "--region", "PINGONE_REGION"}},
		{"unknown root domain", []string{"--root-domain", "pingone.de"}, nil, config.KeyRootDomain, []string{`unknown root domain "pingone.de"`, "--root-domain", "PINGONE_ROOT_DOMAIN"}},
		{"region and root domain disagree (flags)", []string{"--region", "EU", "--root-domain", "pingone.com"}, nil, "",
			[]string{"region EU (from flag --region)", "root domain pingone.com is set (from flag --root-domain)", "unset one of the two"}},
		{"region and root domain disagree (env)", nil, map[string]string{"PINGONE_REGION_CODE": "SG", "PINGONE_ROOT_DOMAIN": "pingone.asia"}, "",
			[]string{"region SG", "environment variable PINGONE_REGION_CODE (alias of PINGONE_REGION)", "pingone.asia", "environment variable PINGONE_ROOT_DOMAIN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, nil, tt.args...)
			cfgErr := wantConfigError(t, err, tt.want...)
			if cfgErr.Key != tt.wantKey {
				t.Errorf("Key = %q, want %q", cfgErr.Key, tt.wantKey)
			}
		})
	}
}

func TestLoadRegionAndRootDomainAgree(t *testing.T) {
	for _, tt := range [][2]string{{"EU", "pingone.eu"}, {"asia", "pingone.asia"}, {"au", "auth.pingone.com.au"}} {
		t.Run(tt[0], func(t *testing.T) {
			isolate(t)
			t.Setenv("PINGONE_ROOT_DOMAIN", tt[1])
			s := mustLoad(t, "--region", tt[0])
			if s.Region.RootDomain != strings.TrimPrefix(tt[1], "auth.") {
				t.Errorf("region %s + root domain %s: got %v", tt[0], tt[1], s.Region)
			}
		})
	}
}

// Region and root domain are two spellings of one setting: from different
// layers, the higher layer wins as for any setting.
func TestLoadRegionAndRootDomainFromDifferentLayers(t *testing.T) {
	tests := []struct {
		name    string
		profile map[string]string
		env     map[string]string
		args    []string
		want    string
	}{
		{"env root domain over profile region", map[string]string{config.KeyRegion: "AU"}, map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.ca"}, nil, "CA"},
		{"env region over profile root domain", map[string]string{config.KeyRootDomain: "pingone.ca"}, map[string]string{"PINGONE_REGION": "EU"}, nil, "EU"},
		{"flag region over env root domain", nil, map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.com"}, []string{"--region", "EU"}, "EU"},
		{"flag root domain over env region", nil, map[string]string{"PINGONE_REGION": "EU"}, []string{"--root-domain", "pingone.sg"}, "SG"},
		{"flag root domain over profile region", map[string]string{config.KeyRegion: "AU"}, nil, []string{"--root-domain", "pingone.asia"}, "AP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, tt.profile, tt.env)
			if got := mustLoad(t, tt.args...).Region.Code; got != tt.want {
				t.Errorf("region = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestLoadDerivedURLs(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantAuth  string
		wantToken string
		wantAPI   string
		wantCD    string
	}{
		{
			name:     "defaults to NA without an environment",
			wantAuth: "https://auth.pingone.com", wantToken: "", wantAPI: "https://api.pingone.com/v1",
		},
		{
			name:     "defaults to NA",
			args:     []string{"-e", envIDFlag},
			wantAuth: "https://auth.pingone.com", wantToken: "https://auth.pingone.com/" + envIDFlag + "/as/token", wantAPI: "https://api.pingone.com/v1",
		},
		{
			name:     "custom domain replaces the auth host only",
			args:     []string{"-e", envIDFlag, "--region", "EU", "--custom-domain", "auth.example.com"},
			wantAuth: "https://auth.example.com", wantToken: "https://auth.example.com/as/token", wantAPI: "https://api.pingone.eu/v1", wantCD: "auth.example.com",
		},
		{
			name:     "custom domain without an environment ID",
			env:      map[string]string{"PINGONE_CUSTOM_DOMAIN": "Login.Example.COM."},
			wantAuth: "https://login.example.com", wantToken: "https://login.example.com/as/token", wantAPI: "https://api.pingone.com/v1", wantCD: "login.example.com",
		},
		{
			name:     "auth URL with the environment ID appended",
			args:     []string{"-e", envIDFlag, "--auth-url", "https://auth.example.test/base/"},
			wantAuth: "https://auth.example.test/base", wantToken: "https://auth.example.test/base/" + envIDFlag + "/as/token", wantAPI: "https://api.pingone.com/v1",
		},
		{
			name:     "auth URL beats custom domain",
			args:     []string{"-e", envIDFlag, "--auth-url", "http://127.0.0.1:8080", "--custom-domain", "auth.example.com"},
			wantAuth: "http://127.0.0.1:8080", wantToken: "http://127.0.0.1:8080/" + envIDFlag + "/as/token", wantAPI: "https://api.pingone.com/v1", wantCD: "auth.example.com",
		},
		{
			name:     "token URL overrides everything",
			args:     []string{"-e", envIDFlag, "--custom-domain", "auth.example.com", "--auth-url", "https://a.example.test", "--token-url", "https://t.example.test/oauth/token/"},
			wantAuth: "https://a.example.test", wantToken: "https://t.example.test/oauth/token", wantAPI: "https://api.pingone.com/v1", wantCD: "auth.example.com",
		},
		{
			name:     "token URL without an environment ID",
			env:      map[string]string{"PINGONE_TOKEN_URL": "http://localhost:9999/as/token"},
			wantAuth: "https://auth.pingone.com", wantToken: "http://localhost:9999/as/token", wantAPI: "https://api.pingone.com/v1",
		},
		{
			name:     "API URL",
			args:     []string{"--api-url", "http://[::1]:8443/v1/", "--region", "CA"},
			wantAuth: "https://auth.pingone.ca", wantAPI: "http://[::1]:8443/v1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s := mustLoad(t, tt.args...)
			if s.AuthBaseURL != tt.wantAuth {
				t.Errorf("AuthBaseURL = %q, want %q", s.AuthBaseURL, tt.wantAuth)
			}
			if s.TokenURL != tt.wantToken {
				t.Errorf("TokenURL = %q, want %q", s.TokenURL, tt.wantToken)
			}
			if s.APIURL != tt.wantAPI {
				t.Errorf("APIURL = %q, want %q", s.APIURL, tt.wantAPI)
			}
			if s.CustomDomain != tt.wantCD {
				t.Errorf("CustomDomain = %q, want %q", s.CustomDomain, tt.wantCD)
			}
		})
	}
}

func TestLoadURLPolicy(t *testing.T) {
	tests := []struct {
		url    string
		wantOK bool
	}{
		{"https://auth.example.com", true},
		{"HTTPS://auth.example.com/", true},
		{"http://localhost:8080", true},
		{"http://LOCALHOST", true},
		{"http://app.localhost:1", false}, // resolved through DNS, so not loopback
		{"http://127.0.0.1:9000", true},
		{"http://127.9.9.9", true},
		{"http://[::1]:9000", true},
		{"http://auth.example.com", false},
		{"http://10.0.0.1", false},
		{"http://localhost.example.com", false},
		{"ftp://auth.example.com", false},
		{"auth.example.com", false},
		{"/just/a/path", false},
		{"https://user:pw@auth.example.com", false},
		{"https://auth.example.com/?x=1", false},
		{"https://auth.example.com/#frag", false},
		{"https://auth.example.com:99999", false},
		{"https://auth.example.com/a b", false},
	}
	for _, key := range []string{config.KeyAuthURL, config.KeyTokenURL, config.KeyAPIURL} {
		k, _ := config.LookupKey(key)
		for _, tt := range tests {
			t.Run(key+"/"+tt.url, func(t *testing.T) {
				isolate(t)
				_, err := load(t, nil, "-e", envIDFlag, "--"+k.Flag, tt.url)
				if tt.wantOK {
					if err != nil {
						t.Fatalf("--%s %s: %v", k.Flag, tt.url, err)
					}
					return
				}
				cfgErr := wantConfigError(t, err, key, "--"+k.Flag, k.Env[0])
				if cfgErr.Key != key {
					t.Errorf("Key = %q, want %q", cfgErr.Key, key)
				}
			})
		}
	}
}

func TestLoadHTTPSRequiredMessage(t *testing.T) {
	isolate(t)
	t.Setenv("PINGONE_API_URL", "http://api.example.com/v1")
	_, err := load(t, nil)
	wantConfigError(t, err, "HTTPS is required", "--api-url", "PINGONE_API_URL")
}

func TestLoadInvalidValues(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantKey string
		want    []string
	}{
		{"non-UUID environment ID (flag)", nil, []string{"--environment-id", "my-env"}, config.KeyEnvironmentID, []string{`"my-env" is not a UUID`, "--environment-id", "PINGONE_ENVIRONMENT_ID"}},
		{"non-UUID environment ID (env)", map[string]string{"PINGONE_ENVIRONMENT_ID": "11111111-1111-4111-8111-11111111111"}, nil, config.KeyEnvironmentID, []string{"is not a UUID", "--environment-id", "PINGONE_ENVIRONMENT_ID"}},
		{"environment ID with a path", nil, []string{"-e", envIDFlag + "/as"}, config.KeyEnvironmentID, []string{"is not a UUID"}},
		{"client ID with a slash", map[string]string{"PINGONE_CLIENT_ID": "a/b"}, nil, config.KeyClientID, []string{"URL characters", "--client-id", "PINGONE_CLIENT_ID"}},
		{"client ID with a space", nil, []string{"--client-id", "a b"}, config.KeyClientID, []string{"spaces"}},
		{"unknown auth method", map[string]string{"PINGONE_AUTH_METHOD": "tls_client_auth"}, nil, config.KeyAuthMethod, []string{`"tls_client_auth"`, "client_secret_basic", "--auth-method", "PINGONE_AUTH_METHOD"}},
		{"custom domain given as a URL", nil, []string{"--custom-domain", "https://auth.example.com"}, config.KeyCustomDomain, []string{"not a host name", "--custom-domain", "PINGONE_CUSTOM_DOMAIN"}},
		{"custom domain with a path", map[string]string{"PINGONE_CUSTOM_DOMAIN": "auth.example.com/x"}, nil, config.KeyCustomDomain, []string{"not a host name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := load(t, nil, tt.args...)
			if cfgErr := wantConfigError(t, err, tt.want...); cfgErr.Key != tt.wantKey {
				t.Errorf("Key = %q, want %q", cfgErr.Key, tt.wantKey)
			}
		})
	}
}

func TestLoadAuthMethods(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", config.AuthClientSecretBasic},
		{"client_secret_basic", config.AuthClientSecretBasic},
		{"CLIENT_SECRET_POST", config.AuthClientSecretPost},
		{"client_secret_jwt", config.AuthClientSecretJWT},
		{"Private_Key_JWT", config.AuthPrivateKeyJWT},
	} {
		t.Run(tt.in, func(t *testing.T) {
			isolate(t)
			t.Setenv("PINGONE_AUTH_METHOD", tt.in)
			if s := mustLoad(t); s.AuthMethod != tt.want {
				t.Errorf("auth method %q resolved to %q, want %q", tt.in, s.AuthMethod, tt.want)
			}
		})
	}
}

func TestLoadControlCharacters(t *testing.T) {
	tests := []struct {
		key   string
		value string
	}{
		{config.KeyClientID, "abc\x1b[31mdef"},
		{config.KeyClientID, "abc\tdef"},
		{config.KeyEnvironmentID, envIDEnv + "\x07x"},
		{config.KeyRegion, "E\x08U"},
		{config.KeyClientSecret, "sec\x7fret"},
		{config.KeyAPIURL, "https://api.pingone.com/v1\x1b"},
		{config.KeyKeyID, "kid\u200b"},             // zero-width space (format character)
		{config.KeyCustomDomain, "auth\u202e.com"}, // right-to-left override
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%q", tt.key, tt.value), func(t *testing.T) {
			isolate(t)
			k, _ := config.LookupKey(tt.key)
			t.Setenv(k.Env[0], tt.value)
			_, err := load(t, nil)
			cfgErr := wantConfigError(t, err, tt.key+" contains control characters", k.Env[0])
			if cfgErr.Key != tt.key {
				t.Errorf("Key = %q, want %q", cfgErr.Key, tt.key)
			}
			if strings.ContainsAny(err.Error(), "\x1b\x00\x07\x08\x7f\u200b\u202e") {
				t.Errorf("error message echoes the control character: %q", err.Error())
			}
		})
	}
}

func TestLoadClientSecret(t *testing.T) {
	type setup struct {
		args    []string
		env     map[string]string
		profile map[string]string
		stdin   string
		noStdin bool
		files   map[string]string // name -> content; "$name" in values is replaced by the path
	}
	tests := []struct {
		name       string
		setup      setup
		wantSecret string
		wantSource config.Source // File is not compared
		wantErr    []string
	}{
		{
			name:       "from env",
			setup:      setup{env: map[string]string{"PINGONE_CLIENT_SECRET": "env-secret"}},
			wantSecret: "env-secret",
			wantSource: config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_SECRET"},
		},
		{
			name:       "from SDK env alias",
			setup:      setup{env: map[string]string{"PINGONE_CLIENT_CREDENTIALS_CLIENT_SECRET": "sdk-secret"}},
			wantSecret: "sdk-secret",
			wantSource: config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_CREDENTIALS_CLIENT_SECRET", AliasOf: "PINGONE_CLIENT_SECRET"},
		},
		{
			name:       "from profile",
			setup:      setup{profile: map[string]string{"client-secret": "profile-secret"}},
			wantSecret: "profile-secret",
			wantSource: config.Source{Kind: config.FromProfile, Name: "default"},
		},
		{
			name:       "from file via flag, trailing newline trimmed",
			setup:      setup{files: map[string]string{"s": "file-secret\n"}, args: []string{"--client-secret-file", "$s"}},
			wantSecret: "file-secret",
			wantSource: config.Source{Kind: config.FromFlag, Name: "client-secret-file"},
		},
		{
			name:       "from file via env, CRLF trimmed",
			setup:      setup{files: map[string]string{"s": "file-secret\r\n"}, env: map[string]string{"PINGONE_CLIENT_SECRET_FILE": "$s"}},
			wantSecret: "file-secret",
			wantSource: config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_SECRET_FILE"},
		},
		{
			name:       "from file via profile, no trailing newline",
			setup:      setup{files: map[string]string{"s": "file-secret"}, profile: map[string]string{"client-secret-file": "$s"}},
			wantSecret: "file-secret",
			wantSource: config.Source{Kind: config.FromProfile, Name: "default"},
		},
		{
			name:    "empty file",
			setup:   setup{files: map[string]string{"s": ""}, args: []string{"--client-secret-file", "$s"}},
			wantErr: []string{"is empty", "--client-secret-file", "PINGONE_CLIENT_SECRET_FILE"},
		},
		{
			name:    "file holding only a newline",
			setup:   setup{files: map[string]string{"s": "\n"}, env: map[string]string{"PINGONE_CLIENT_SECRET_FILE": "$s"}},
			wantErr: []string{"is empty"},
		},
		{
			name:    "missing file",
			setup:   setup{args: []string{"--client-secret-file", "/nonexistent/p1ctl-test/secret"}},
			wantErr: []string{"cannot read the client secret file", "--client-secret-file", "PINGONE_CLIENT_SECRET_FILE"},
		},
		{
			name:       "stdin",
			setup:      setup{args: []string{"--client-secret-stdin"}, stdin: "stdin-secret\n"},
			wantSecret: "stdin-secret",
			wantSource: config.Source{Kind: config.FromFlag, Name: "client-secret-stdin"},
		},
		{
			name: "stdin beats env and file",
			setup: setup{args: []string{"--client-secret-stdin", "--client-secret-file", "/nonexistent"}, stdin: "stdin-secret",
				env: map[string]string{"PINGONE_CLIENT_SECRET": "env-secret"}},
			wantSecret: "stdin-secret",
			wantSource: config.Source{Kind: config.FromFlag, Name: "client-secret-stdin"},
		},
		{
			name:    "stdin empty",
			setup:   setup{args: []string{"--client-secret-stdin"}, stdin: "\r\n"},
			wantErr: []string{"--client-secret-stdin read an empty client secret"},
		},
		{
			name:    "stdin missing",
			setup:   setup{args: []string{"--client-secret-stdin"}, noStdin: true},
			wantErr: []string{"--client-secret-stdin given but there is no standard input"},
		},
		{
			name:       "file flag beats env secret",
			setup:      setup{files: map[string]string{"s": "file-secret\n"}, args: []string{"--client-secret-file", "$s"}, env: map[string]string{"PINGONE_CLIENT_SECRET": "env-secret"}},
			wantSecret: "file-secret",
			wantSource: config.Source{Kind: config.FromFlag, Name: "client-secret-file"},
		},
		{
			name:       "env secret beats profile file (which is never read)",
			setup:      setup{env: map[string]string{"PINGONE_CLIENT_SECRET": "env-secret"}, profile: map[string]string{"client-secret-file": "/nonexistent/secret"}},
			wantSecret: "env-secret",
			wantSource: config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_SECRET"},
		},
		{
			name:       "env file beats profile secret",
			setup:      setup{files: map[string]string{"s": "file-secret\n"}, env: map[string]string{"PINGONE_CLIENT_SECRET_FILE": "$s"}, profile: map[string]string{"client-secret": "profile-secret"}},
			wantSecret: "file-secret",
			wantSource: config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_SECRET_FILE"},
		},
		{
			name:    "secret and file both in env",
			setup:   setup{files: map[string]string{"s": "file-secret\n"}, env: map[string]string{"PINGONE_CLIENT_SECRET": "env-secret", "PINGONE_CLIENT_SECRET_FILE": "$s"}},
			wantErr: []string{"PINGONE_CLIENT_SECRET_FILE", "only one"},
		},
		{
			name:    "secret and file both in profile",
			setup:   setup{files: map[string]string{"s": "file-secret\n"}, profile: map[string]string{"client-secret": "profile-secret", "client-secret-file": "$s"}},
			wantErr: []string{"both a client secret (profile \"default\"", "and a client secret file (profile \"default\""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolate(t)
			dir := t.TempDir()
			paths := map[string]string{}
			for name, content := range tt.setup.files {
				paths["$"+name] = writeFile(t, filepath.Join(dir, name), content, 0o600)
			}
			subst := func(v string) string {
				if p, ok := paths[v]; ok {
					return p
				}
				return v
			}
			var args []string
			for _, a := range tt.setup.args {
				args = append(args, subst(a))
			}
			for k, v := range tt.setup.env {
				t.Setenv(k, subst(v))
			}
			if tt.setup.profile != nil {
				p := map[string]string{}
				for k, v := range tt.setup.profile {
					p[k] = subst(v)
				}
				writeFile(t, defaultConfigPath(home), profileYAML("default", p), 0o600)
			}
			l := config.Loader{Flags: newFlags(t, args...)}
			if !tt.setup.noStdin {
				l.Stdin = strings.NewReader(tt.setup.stdin)
			}
			s, err := l.Load()
			if tt.wantErr != nil {
				wantConfigError(t, err, tt.wantErr...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.ClientSecret != tt.wantSecret {
				t.Errorf("ClientSecret = %q, want %q", s.ClientSecret, tt.wantSecret)
			}
			got := s.Sources[config.KeyClientSecret]
			got.File = ""
			if got != tt.wantSource {
				t.Errorf("Sources[client-secret] = %#v, want %#v", got, tt.wantSource)
			}
			if s.Redacted(config.KeyClientSecret) != "[REDACTED]" {
				t.Errorf("Redacted(client-secret) = %q", s.Redacted(config.KeyClientSecret))
			}
			if len(s.Warnings) != 0 {
				t.Errorf("unexpected warnings: %q", s.Warnings)
			}
		})
	}
}

func TestLoadStdinReadError(t *testing.T) {
	isolate(t)
	_, err := config.Loader{Flags: newFlags(t, "--client-secret-stdin"), Stdin: iotest.ErrReader(errors.New("broken pipe"))}.Load()
	wantConfigError(t, err, "cannot read the client secret from standard input", "broken pipe")
}

func TestLoadSecretFilePermissionWarning(t *testing.T) {
	tests := []struct {
		mode     os.FileMode
		wantWarn bool
	}{
		{0o600, false},
		{0o400, false},
		{0o640, true},
		{0o644, true},
		{0o604, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%04o", tt.mode), func(t *testing.T) {
			isolate(t)
			path := writeFile(t, filepath.Join(t.TempDir(), "secret"), "s3cret\n", tt.mode)
			s := mustLoad(t, "--client-secret-file", path)
			if s.ClientSecret != "s3cret" {
				t.Fatalf("ClientSecret = %q", s.ClientSecret)
			}
			if !tt.wantWarn {
				if len(s.Warnings) != 0 {
					t.Errorf("unexpected warnings: %q", s.Warnings)
				}
				return
			}
			if len(s.Warnings) != 1 {
				t.Fatalf("Warnings = %q, want one", s.Warnings)
			}
			w := s.Warnings[0]
			for _, part := range []string{path, fmt.Sprintf("%04o", tt.mode), "chmod 600"} {
				if !strings.Contains(w, part) {
					t.Errorf("warning %q does not contain %q", w, part)
				}
			}
			if strings.Contains(w, "s3cret") {
				t.Errorf("warning leaks the secret: %q", w)
			}
		})
	}
}

func TestLoadConfigFilePermissionWarning(t *testing.T) {
	for _, tt := range []struct {
		name     string
		mode     os.FileMode
		profile  map[string]string
		wantWarn bool
	}{
		{"secret in a 0644 file", 0o644, map[string]string{"client-secret": "s"}, true},
		{"secret in a 0600 file", 0o600, map[string]string{"client-secret": "s"}, false},
		{"no secret in a 0644 file", 0o644, map[string]string{"client-id": "c"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			home := isolate(t)
			path := writeFile(t, defaultConfigPath(home), profileYAML("default", tt.profile), tt.mode)
			s := mustLoad(t)
			if got := len(s.Warnings) > 0; got != tt.wantWarn {
				t.Fatalf("warnings %q, want warning: %v", s.Warnings, tt.wantWarn)
			}
			if tt.wantWarn && !strings.Contains(s.Warnings[0], path) {
				t.Errorf("warning %q does not name %s", s.Warnings[0], path)
			}
		})
	}
}

func TestLoadConfigFile(t *testing.T) {
	const twoProfiles = `active-profile: dev
profiles:
  default:
    client-id: default-client
  dev:
    client-id: dev-client
    region: eu
  prod:
    client-id: prod-client
`
	const defaultOnly = `profiles:
  default:
    client-id: default-client
    environment-id: ` + envIDProfile + `
  other:
    client-id: other-client
`
	tests := []struct {
		name        string
		content     *string // nil: no file
		where       string  // "default", "flag", "env": how the file is named
		args        []string
		env         map[string]string
		wantProfile string
		wantClient  string
		wantErr     []string
	}{
		{name: "missing default file is fine", where: "default", wantProfile: "", wantClient: ""},
		{name: "missing --config file", where: "flag", wantErr: []string{"does not exist", "--config", "P1CTL_CONFIG"}},
		{name: "missing P1CTL_CONFIG file", where: "env", wantErr: []string{"does not exist", "--config", "P1CTL_CONFIG"}},
		{name: "empty file", content: ptr(""), where: "default"},
		{name: "bad YAML", content: ptr("profiles: [unclosed\n"), where: "default", wantErr: []string{"cannot use config file", "invalid YAML", "--config / P1CTL_CONFIG"}},
		{name: "YAML of the wrong shape", content: ptr("profiles:\n  - a\n  - b\n"), where: "flag", wantErr: []string{"cannot use config file", "line 2: profiles must hold profiles by name, not a list: fix the file"}},
		{name: "unknown top-level key", content: ptr("activeprofile: dev\n"), where: "env", wantErr: []string{"cannot use config file", `unknown top-level key "activeprofile" at line 1 (did you mean "active-profile"? valid: active-profile, profiles): fix the file`}},
		{name: "unknown profile key", content: ptr("profiles:\n  dev:\n    client_id: x\n"), where: "default", wantErr: []string{"cannot use config file", `profile "dev": unknown key "client_id"`}},
		{name: "unknown profile via --profile", content: ptr(defaultOnly), where: "default", args: []string{"--profile", "staging"}, wantErr: []string{`profile "staging" (from --profile) is not in`, "known profiles: default, other"}},
		{name: "unknown profile via P1CTL_PROFILE", content: ptr(defaultOnly), where: "flag", env: map[string]string{"P1CTL_PROFILE": "staging"}, wantErr: []string{`profile "staging" (from P1CTL_PROFILE) is not in`, "known profiles: default, other"}},
		{name: "unknown profile via active-profile", content: ptr("active-profile: gone\nprofiles:\n  dev: {}\n"), where: "default", wantErr: []string{`profile "gone" (from active-profile in `, "known profiles: dev"}},
		{name: "unknown profile with no file", where: "default", args: []string{"--profile", "dev"}, wantErr: []string{`profile "dev" (from --profile) is not in`}},
		{name: "default profile used implicitly", content: ptr(defaultOnly), where: "default", wantProfile: "default", wantClient: "default-client"},
		{name: "active-profile beats default", content: ptr(twoProfiles), where: "default", wantProfile: "dev", wantClient: "dev-client"},
		{name: "P1CTL_PROFILE beats active-profile", content: ptr(twoProfiles), where: "env", env: map[string]string{"P1CTL_PROFILE": "prod"}, wantProfile: "prod", wantClient: "prod-client"},
		{name: "--profile beats P1CTL_PROFILE", content: ptr(twoProfiles), where: "flag", args: []string{"--profile", "default"}, env: map[string]string{"P1CTL_PROFILE": "prod"}, wantProfile: "default", wantClient: "default-client"},
		{name: "no default profile and none selected", content: ptr("profiles:\n  dev:\n    client-id: dev-client\n"), where: "default", wantProfile: "", wantClient: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolate(t)
			var path string
			switch tt.where {
			case "default":
				path = defaultConfigPath(home)
			default:
				path = filepath.Join(t.TempDir(), "custom", "p1ctl.yaml")
			}
			if tt.content != nil {
				writeFile(t, path, *tt.content, 0o600)
			}
			args := tt.args
			switch tt.where {
			case "flag":
				args = append(args, "--config", path)
				// --config beats P1CTL_CONFIG.
				t.Setenv("P1CTL_CONFIG", filepath.Join(t.TempDir(), "ignored.yaml"))
			case "env":
				t.Setenv("P1CTL_CONFIG", path)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s, err := load(t, nil, args...)
			if tt.wantErr != nil {
				wantConfigError(t, err, append(tt.wantErr, path)...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.ConfigFile != path {
				t.Errorf("ConfigFile = %q, want %q", s.ConfigFile, path)
			}
			if s.Profile != tt.wantProfile {
				t.Errorf("Profile = %q, want %q", s.Profile, tt.wantProfile)
			}
			if s.ClientID != tt.wantClient {
				t.Errorf("ClientID = %q, want %q", s.ClientID, tt.wantClient)
			}
			wantSrc := config.Source{Kind: config.FromDefault}
			if tt.wantClient != "" {
				wantSrc = config.Source{Kind: config.FromProfile, Name: tt.wantProfile, File: path}
			}
			if got := s.Sources[config.KeyClientID]; got != wantSrc {
				t.Errorf("Sources[client-id] = %#v, want %#v", got, wantSrc)
			}
		})
	}
}

func ptr(s string) *string { return &s }

// Config errors end up as the CLI's one-line message, so they must not
// carry yaml.v3's multi-line "unmarshal errors:" lists.
func TestConfigFileErrorsAreOneLine(t *testing.T) {
	for _, content := range []string{
		"activeprofile: dev\n",
		"profiles:\n  - a\n",
		"profiles:\n  a: 1\n  b: [x]\n",
	} {
		t.Run(content, func(t *testing.T) {
			isolate(t)
			path := writeFile(t, filepath.Join(t.TempDir(), "c.yaml"), content, 0o600)
			_, err := load(t, nil, "--config", path)
			wantConfigError(t, err, "cannot use config file "+path, "line ")
		})
	}
}

func TestLoadConfigFileUnreadable(t *testing.T) {
	isolate(t)
	// A directory where the file should be: reading it fails with something
	// other than "not exist".
	dir := t.TempDir()
	_, err := load(t, nil, "--config", dir)
	wantConfigError(t, err, dir, "directory")
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error wraps fs.ErrNotExist: %v", err)
	}
}

func TestLoadWithoutFlags(t *testing.T) {
	isolate(t)
	t.Setenv("PINGONE_CLIENT_ID", "env-client")
	s, err := config.Loader{}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.ClientID != "env-client" || s.Region != config.DefaultRegion {
		t.Errorf("Load without flags: client %q region %v", s.ClientID, s.Region)
	}
}

func TestSourceString(t *testing.T) {
	tests := []struct {
		src  config.Source
		want string
	}{
		{config.Source{Kind: config.FromFlag, Name: "client-id"}, "flag --client-id"},
		{config.Source{Kind: config.FromEnv, Name: "PINGONE_CLIENT_ID"}, "environment variable PINGONE_CLIENT_ID"},
		{config.Source{Kind: config.FromProfile, Name: "dev", File: "/c.yaml"}, `profile "dev" in /c.yaml`},
		{config.Source{}, "default"},
	}
	for _, tt := range tests {
		if got := tt.src.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// A variable holding only whitespace counts as unset, as an empty one does:
// the next layer's value shows through.
func TestLoadBlankEnvIsUnset(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		key       string
		want      string
		wantKind  config.SourceKind
		wantEnvAs string
	}{
		{"blank primary, profile shows", map[string]string{"PINGONE_REGION": "  "}, config.KeyRegion, "AU", config.FromProfile, ""},
		{"blank primary, alias wins", map[string]string{"PINGONE_REGION": "\t", "PINGONE_REGION_CODE": "CA"}, config.KeyRegion, "CA", config.FromEnv, "PINGONE_REGION_CODE"},
		{"blank client ID, profile shows", map[string]string{"PINGONE_CLIENT_ID": " "}, config.KeyClientID, "profile-client", config.FromProfile, ""},
		{"set value still wins", map[string]string{"PINGONE_CLIENT_ID": " env-client "}, config.KeyClientID, "env-client", config.FromEnv, "PINGONE_CLIENT_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, map[string]string{config.KeyRegion: "AU", config.KeyClientID: "profile-client"}, tt.env)
			s := mustLoad(t)
			if got := s.Values[tt.key]; got != tt.want {
				t.Errorf("Values[%q] = %q, want %q", tt.key, got, tt.want)
			}
			src := s.Sources[tt.key]
			if src.Kind != tt.wantKind || tt.wantEnvAs != "" && src.Name != tt.wantEnvAs {
				t.Errorf("Sources[%q] = %#v, want kind %v name %q", tt.key, src, tt.wantKind, tt.wantEnvAs)
			}
		})
	}
}

// The settings that name the token endpoint's host (token-url, auth-url,
// custom-domain, the region) and the API's (api-url, the region) are ranked
// by layer, then by how specific they are; the others are reported as
// ignored.
func TestLoadHostSettingsRankedByLayer(t *testing.T) {
	tests := []struct {
		name          string
		profile       map[string]string
		env           map[string]string
		args          []string
		wantToken     string
		wantTokenFrom string
		wantAPI       string
		wantAPIFrom   string
		wantIgnored   map[string]string
	}{
		{
			name:          "flag custom domain over env auth URL",
			env:           map[string]string{"PINGONE_AUTH_URL": "https://auth.env.example"},
			args:          []string{"--custom-domain", "auth.flag.example"},
			wantToken:     "https://auth.flag.example/as/token",
			wantTokenFrom: config.KeyCustomDomain,
			wantIgnored:   map[string]string{config.KeyAuthURL: config.KeyCustomDomain},
		},
		{
			name:          "flag region over env API URL",
			env:           map[string]string{"PINGONE_API_URL": "https://api.env.example/v1"},
			args:          []string{"--region", "EU"},
			wantToken:     "https://auth.pingone.eu/" + envIDEnv + "/as/token",
			wantTokenFrom: config.KeyRegion,
			wantAPI:       "https://api.pingone.eu/v1",
			wantAPIFrom:   config.KeyRegion,
			wantIgnored:   map[string]string{config.KeyAPIURL: config.KeyRegion},
		},
		{
			name:          "env root domain over profile token and API URLs",
			profile:       map[string]string{config.KeyTokenURL: "https://auth.profile.example/as/token", config.KeyAPIURL: "https://api.profile.example/v1"},
			env:           map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.ca"},
			wantToken:     "https://auth.pingone.ca/" + envIDEnv + "/as/token",
			wantTokenFrom: config.KeyRegion,
			wantAPI:       "https://api.pingone.ca/v1",
			wantAPIFrom:   config.KeyRegion,
			wantIgnored:   map[string]string{config.KeyTokenURL: config.KeyRootDomain, config.KeyAPIURL: config.KeyRootDomain},
		},
		{
			name:          "same layer: the most specific wins",
			env:           map[string]string{"PINGONE_TOKEN_URL": "https://t.env.example/as/token", "PINGONE_AUTH_URL": "https://auth.env.example", "PINGONE_CUSTOM_DOMAIN": "auth.env.example", "PINGONE_REGION": "EU"},
			wantToken:     "https://t.env.example/as/token",
			wantTokenFrom: config.KeyTokenURL,
			wantAPI:       "https://api.pingone.eu/v1",
			wantAPIFrom:   config.KeyRegion,
			wantIgnored:   map[string]string{config.KeyAuthURL: config.KeyTokenURL, config.KeyCustomDomain: config.KeyTokenURL},
		},
		{
			name:          "same layer: auth URL for the token, region for the API",
			env:           map[string]string{"PINGONE_AUTH_URL": "https://auth.env.example", "PINGONE_REGION": "SG"},
			wantToken:     "https://auth.env.example/" + envIDEnv + "/as/token",
			wantTokenFrom: config.KeyAuthURL,
			wantAPI:       "https://api.pingone.sg/v1",
			wantAPIFrom:   config.KeyRegion,
		},
		{
			name:          "profile URLs over the default region",
			profile:       map[string]string{config.KeyAuthURL: "https://auth.profile.example", config.KeyAPIURL: "https://api.profile.example/v1"},
			wantToken:     "https://auth.profile.example/" + envIDEnv + "/as/token",
			wantTokenFrom: config.KeyAuthURL,
			wantAPI:       "https://api.profile.example/v1",
			wantAPIFrom:   config.KeyAPIURL,
		},
		{
			name:          "region and root domain from different layers",
			profile:       map[string]string{config.KeyRegion: "AU"},
			env:           map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.ca"},
			wantToken:     "https://auth.pingone.ca/" + envIDEnv + "/as/token",
			wantTokenFrom: config.KeyRegion,
			wantIgnored:   map[string]string{config.KeyRegion: config.KeyRootDomain},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, tt.profile, tt.env)
			t.Setenv("PINGONE_ENVIRONMENT_ID", envIDEnv)
			s := mustLoad(t, tt.args...)
			if s.TokenURL != tt.wantToken || s.TokenURLFrom != tt.wantTokenFrom {
				t.Errorf("token URL = %q from %q, want %q from %q", s.TokenURL, s.TokenURLFrom, tt.wantToken, tt.wantTokenFrom)
			}
			if tt.wantAPI != "" && (s.APIURL != tt.wantAPI || s.APIURLFrom != tt.wantAPIFrom) {
				t.Errorf("API URL = %q from %q, want %q from %q", s.APIURL, s.APIURLFrom, tt.wantAPI, tt.wantAPIFrom)
			}
			if len(s.Ignored) != len(tt.wantIgnored) {
				t.Errorf("Ignored = %v, want %v", s.Ignored, tt.wantIgnored)
			}
			for key, by := range tt.wantIgnored {
				if s.Ignored[key] != by {
					t.Errorf("Ignored[%q] = %q, want %q (all: %v)", key, s.Ignored[key], by, s.Ignored)
				}
			}
		})
	}
}

// Given is the flag and environment layers of lookup, which config init
// uses: the flag beats p1ctl's variable, which beats an alias; blank
// counts as unset; nothing given is the default.
func TestGiven(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		key       string
		wantValue string
		wantSrc   config.Source
	}{
		{"flag beats variable", []string{"--region", "EU"}, map[string]string{"PINGONE_REGION": "CA"}, config.KeyRegion, "EU", config.Source{Kind: config.FromFlag, Name: "region"}},
		{"blank flag lets the variable through", []string{"--region", " "}, map[string]string{"PINGONE_REGION": "CA"}, config.KeyRegion, "CA", config.Source{Kind: config.FromEnv, Name: "PINGONE_REGION"}},
		{"alias after a blank variable", nil, map[string]string{"PINGONE_ROOT_DOMAIN": " ", "PINGONE_TOP_LEVEL_DOMAIN": "eu"}, config.KeyRootDomain, "pingone.eu", config.Source{Kind: config.FromEnv, Name: "PINGONE_TOP_LEVEL_DOMAIN", AliasOf: "PINGONE_ROOT_DOMAIN"}},
		{"nothing given", nil, nil, config.KeyClientID, "", config.Source{Kind: config.FromDefault}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("p1ctl", pflag.ContinueOnError)
			config.AddFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			k, _ := config.LookupKey(tt.key)
			v, src, err := config.Loader{Flags: fs, Getenv: func(n string) string { return tt.env[n] }}.Given(k)
			if err != nil || v != tt.wantValue || src != tt.wantSrc {
				t.Errorf("Given(%s) = %q, %+v, %v; want %q, %+v", tt.key, v, src, err, tt.wantValue, tt.wantSrc)
			}
		})
	}
}
