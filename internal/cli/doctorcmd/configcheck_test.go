package doctorcmd

import (
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestResolvedSettings(t *testing.T) {
	flag := func(name string) config.Source { return config.Source{Kind: config.FromFlag, Name: name} }
	env := func(name string) config.Source { return config.Source{Kind: config.FromEnv, Name: name} }
	profile := config.Source{Kind: config.FromProfile, Name: "ca", File: "/home/u/.config/p1ctl/config.yaml"}
	tests := []struct {
		name   string
		change func(s *config.Settings)
		// want maps setting keys to "value | source"; "-" means absent.
		want map[string]string
	}{
		{
			name: "defaults",
			want: map[string]string{
				"client-secret": "[REDACTED] | environment variable PINGONE_CLIENT_SECRET",
				"region":        "NA | default",
				"auth-method":   "client_secret_basic | default",
				"token URL":     "https://auth.pingone.com/" + testEnvID + "/as/token | from the region and environment-id",
				"API URL":       "https://api.pingone.com/v1 | from the region",
				"profile":       "(none) | ",
				"config file":   "/nonexistent/p1ctl/config.yaml | not found (optional)",
			},
		},
		{
			name: "root domain and overrides",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[1], config.KeyRootDomain
				s.TokenURLFrom, s.APIURLFrom = config.KeyTokenURL, config.KeyAPIURL
				setValue(s, config.KeyRootDomain, "pingone.eu", flag("root-domain"))
				setValue(s, config.KeyTokenURL, "https://auth.example.com/as/token", flag("token-url"))
				setValue(s, config.KeyAPIURL, "https://api.pingone.eu/v1", flag("api-url"))
				setValue(s, config.KeyAuthMethod, "client_secret_post", flag("auth-method"))
				s.Profile = "dev"
			},
			want: map[string]string{
				"root-domain": "pingone.eu | flag --root-domain; ignored: token-url and api-url decide the hosts",
				"region":      "EU | from root-domain; ignored: token-url and api-url decide the hosts",
				"token-url":   "https://auth.example.com/as/token | flag --token-url",
				"token URL":   "https://auth.pingone.com/" + testEnvID + "/as/token | from token-url",
				"api-url":     "https://api.pingone.eu/v1 | flag --api-url",
				"API URL":     "-",
				"auth-method": "client_secret_post | flag --auth-method",
				"profile":     "dev | ",
			},
		},
		{
			name: "custom domain",
			change: func(s *config.Settings) {
				s.CustomDomain = "auth.example.com"
				s.TokenURLFrom = config.KeyCustomDomain
				setValue(s, config.KeyCustomDomain, "auth.example.com", flag("custom-domain"))
			},
			want: map[string]string{"token URL": "https://auth.pingone.com/" + testEnvID + "/as/token | from custom-domain"},
		},
		{
			name: "root domain decides the API host",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[2], config.KeyRootDomain
				s.TokenURLFrom = config.KeyAuthURL
				setValue(s, config.KeyRootDomain, "pingone.ca", profile)
				setValue(s, config.KeyAuthURL, "http://127.0.0.1:1", env("PINGONE_AUTH_URL"))
			},
			want: map[string]string{
				"root-domain": "pingone.ca | " + profile.String(),
				"region":      "CA | from root-domain",
				"API URL":     "https://api.pingone.com/v1 | from the region",
			},
		},
		{
			name: "root domain decides neither host",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[2], config.KeyRootDomain
				s.TokenURLFrom, s.APIURLFrom = config.KeyAuthURL, config.KeyAPIURL
				setValue(s, config.KeyRootDomain, "pingone.ca", profile)
				setValue(s, config.KeyAuthURL, "http://127.0.0.1:1", env("PINGONE_AUTH_URL"))
				setValue(s, config.KeyAPIURL, "http://127.0.0.1:2/v1", env("PINGONE_API_URL"))
			},
			want: map[string]string{
				"root-domain": "pingone.ca | " + profile.String() + "; ignored: auth-url and api-url decide the hosts",
				"region":      "CA | from root-domain; ignored: auth-url and api-url decide the hosts",
				"auth-url":    "http://127.0.0.1:1 | environment variable PINGONE_AUTH_URL",
				"api-url":     "http://127.0.0.1:2/v1 | environment variable PINGONE_API_URL",
			},
		},
		{
			name: "region and root domain agree and decide neither host",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[2], config.KeyRegion
				s.TokenURLFrom, s.APIURLFrom = config.KeyCustomDomain, config.KeyAPIURL
				setValue(s, config.KeyRegion, "CA", flag("region"))
				setValue(s, config.KeyRootDomain, "pingone.ca", profile)
				setValue(s, config.KeyCustomDomain, "auth.example.com", flag("custom-domain"))
				setValue(s, config.KeyAPIURL, "https://api.pingone.ca/v1", flag("api-url"))
			},
			want: map[string]string{
				"region":      "CA | flag --region; ignored: custom-domain and api-url decide the hosts",
				"root-domain": "pingone.ca | " + profile.String() + "; ignored: custom-domain and api-url decide the hosts",
			},
		},
		{
			name: "root domain overridden by a region that decides neither host",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[1], config.KeyRegion
				s.TokenURLFrom, s.APIURLFrom = config.KeyTokenURL, config.KeyAPIURL
				setValue(s, config.KeyRegion, "EU", flag("region"))
				setValue(s, config.KeyRootDomain, "pingone.ca", profile)
				s.Ignored = map[string]string{config.KeyRootDomain: config.KeyRegion}
			},
			want: map[string]string{
				"region":      "EU | flag --region; ignored: token-url and api-url decide the hosts",
				"root-domain": "pingone.ca | " + profile.String() + "; ignored: region decides",
			},
		},
		{
			name: "default region, both hosts overridden",
			change: func(s *config.Settings) {
				s.TokenURLFrom, s.APIURLFrom = config.KeyAuthURL, config.KeyAPIURL
				setValue(s, config.KeyAuthURL, "http://127.0.0.1:1", env("PINGONE_AUTH_URL"))
				setValue(s, config.KeyAPIURL, "http://127.0.0.1:2/v1", env("PINGONE_API_URL"))
			},
			// A default is not a setting to ignore: it just goes unused.
			want: map[string]string{"region": "NA | default"},
		},
		{
			name: "ignored settings",
			change: func(s *config.Settings) {
				s.Region, s.RegionFrom = config.Regions[1], config.KeyRegion
				setValue(s, config.KeyRegion, "EU", flag("region"))
				setValue(s, config.KeyAPIURL, "https://api.example.com/v1", config.Source{Kind: config.FromEnv, Name: "PINGONE_API_URL"})
				s.Ignored = map[string]string{config.KeyAPIURL: config.KeyRegion}
			},
			want: map[string]string{
				"region":  "EU | flag --region",
				"api-url": "https://api.example.com/v1 | environment variable PINGONE_API_URL; ignored: region decides",
				"API URL": "https://api.pingone.com/v1 | from the region",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings()
			if tt.change != nil {
				tt.change(s)
			}
			got := map[string]string{}
			for _, st := range resolvedSettings(s) {
				if _, dup := got[st.Key]; dup {
					t.Errorf("setting %s listed twice", st.Key)
				}
				got[st.Key] = st.Value + " | " + st.Source
			}
			for key, want := range tt.want {
				g, ok := got[key]
				if want == "-" {
					if ok {
						t.Errorf("%s = %q, want it left out", key, g)
					}
					continue
				}
				if g != want {
					t.Errorf("%s = %q, want %q", key, g, want)
				}
			}
			for _, v := range got {
				if strings.Contains(v, testSecret) {
					t.Errorf("secret shown: %q", v)
				}
			}
		})
	}
}

func TestConfigWarnings(t *testing.T) {
	s := testSettings()
	s.ClientID = "my client"
	setValue(s, config.KeyTokenURL, "https://x/as/token", config.Source{Kind: config.FromFlag, Name: "token-url"})
	setValue(s, config.KeyCustomDomain, "auth.example.com", config.Source{Kind: config.FromEnv, Name: "PINGONE_CUSTOM_DOMAIN"})
	s.Ignored = map[string]string{config.KeyCustomDomain: config.KeyTokenURL}
	s.Warnings = []string{"secret file is readable by others"}
	got := strings.Join(configWarnings(s), "\n")
	for _, want := range []string{"custom-domain (environment variable PINGONE_CUSTOM_DOMAIN) is ignored: token-url (flag --token-url) decides", `client ID "my client" is not a UUID`, "secret file is readable by others"} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
	if w := configWarnings(testSettings()); len(w) != 0 {
		t.Errorf("warnings for good settings: %q", w)
	}
}

func TestConfigWarningsRegionDecidesNothing(t *testing.T) {
	profile := config.Source{Kind: config.FromProfile, Name: "ca", File: "/home/u/.config/p1ctl/config.yaml"}
	env := func(name string) config.Source { return config.Source{Kind: config.FromEnv, Name: name} }
	tests := []struct {
		name         string
		tokenURLFrom string
		apiURLFrom   string
		// want is the warning about root-domain, "" for none.
		want string
	}{
		{"both hosts from URLs", config.KeyAuthURL, config.KeyAPIURL,
			`root-domain (profile "ca" in /home/u/.config/p1ctl/config.yaml) is ignored: auth-url (environment variable PINGONE_AUTH_URL) and api-url (environment variable PINGONE_API_URL) decide the hosts`},
		{"token URL from the region", config.KeyRegion, config.KeyAPIURL, ""},
		{"API URL from the region", config.KeyAuthURL, config.KeyRegion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings()
			s.Region, s.RegionFrom = config.Regions[2], config.KeyRootDomain
			s.TokenURLFrom, s.APIURLFrom = tt.tokenURLFrom, tt.apiURLFrom
			setValue(s, config.KeyRootDomain, "pingone.ca", profile)
			setValue(s, config.KeyAuthURL, "http://127.0.0.1:1", env("PINGONE_AUTH_URL"))
			setValue(s, config.KeyAPIURL, "http://127.0.0.1:2/v1", env("PINGONE_API_URL"))
			var got []string
			for _, w := range configWarnings(s) {
				if strings.HasPrefix(w, config.KeyRootDomain+" ") {
					got = append(got, w)
				}
			}
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("warnings %q, want none about root-domain", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("warnings %q, want [%q]", got, tt.want)
			}
		})
	}
}

func TestTableLines(t *testing.T) {
	got := tableLines([][]string{{"a", "bb", "c"}, {"aaa", "b"}})
	want := []string{"a    bb  c", "aaa  b"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tableLines = %q, want %q", got, want)
	}
	if tableLines(nil) != nil {
		t.Error("tableLines(nil) != nil")
	}
}
