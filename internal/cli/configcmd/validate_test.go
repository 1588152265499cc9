package configcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestCheckValue(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, value string
		want       string
		wantErr    string
	}{
		{key: config.KeyClientID, value: " " + clientID + " ", want: clientID},
		{key: config.KeyClientID, value: "a b", wantErr: "contains spaces or URL characters"},
		{key: config.KeyClientID, value: "a/b", wantErr: "contains spaces or URL characters"},
		{key: config.KeyClientID, value: "", wantErr: "p1ctl config unset client-id"},
		{key: config.KeyClientID, value: "a\x1b[2Jb", wantErr: "client-id contains control characters"},
		{key: config.KeyEnvironmentID, value: envID, want: envID},
		{key: config.KeyEnvironmentID, value: "1234", wantErr: `environment ID "1234" is not a UUID`},
		{key: config.KeyRegion, value: "eu", want: "EU"},
		{key: config.KeyRegion, value: "asia", want: "AP"},
		{key: config.KeyRegion, value: "sg", want: "SG"},
		{key: config.KeyRegion, value: "mars", wantErr: "NA, EU, CA, AP, AU, SG"},
		{key: config.KeyRootDomain, value: "auth.pingone.eu", want: "pingone.eu"},
		{key: config.KeyRootDomain, value: "example.com", wantErr: "unknown root domain"},
		{key: config.KeyCustomDomain, value: "Auth.Example.com.", want: "auth.example.com"},
		{key: config.KeyCustomDomain, value: "https://auth.example.com", wantErr: "is not a host name"},
		{key: config.KeyAuthURL, value: "https://auth.example.com/", want: "https://auth.example.com"},
		{key: config.KeyAuthURL, value: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{key: config.KeyAuthURL, value: "http://auth.example.com", wantErr: "HTTPS"},
		{key: config.KeyTokenURL, value: "https://x.example.com/as/token?x=1", wantErr: "must not contain a query"},
		{key: config.KeyAPIURL, value: "https://api.pingone.eu/v1", want: "https://api.pingone.eu/v1"},
		{key: config.KeyAuthMethod, value: "Client_Secret_Post", want: config.AuthClientSecretPost},
		{key: config.KeyAuthMethod, value: "tls_client_auth", wantErr: `unknown auth method "tls_client_auth"`},
		{key: config.KeyClientSecretFile, value: "secret.txt", want: filepath.Join(wd, "secret.txt")},
		{key: config.KeyPrivateKeyFile, value: "/keys/p1.pem", want: "/keys/p1.pem"},
		{key: config.KeyKeyID, value: "kid-1", want: "kid-1"},
		{key: config.KeyClientSecret, value: " s3cret ", want: "s3cret"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			got, err := checkValue(tt.key, tt.value)
			if tt.wantErr != "" {
				wantError(t, err, new(*config.Error), tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("checkValue = %q, want %q", got, tt.want)
			}
		})
	}
}

// Every value checkValue accepts, config.Loader accepts too.
func TestCheckValueAgreesWithLoader(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte("s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range config.Keys {
		for _, env := range k.Env {
			t.Setenv(env, "")
		}
	}
	values := map[string]string{
		config.KeyClientID:         clientID,
		config.KeyClientSecretFile: secretFile,
		config.KeyEnvironmentID:    envID,
		config.KeyRegion:           "au",
		config.KeyRootDomain:       "pingone.com.au",
		config.KeyAuthURL:          "https://auth.example.com/",
		config.KeyAPIURL:           "https://api.example.com/v1/",
		config.KeyAuthMethod:       "CLIENT_SECRET_POST",
		config.KeyKeyID:            "k1",
		config.KeyPrivateKeyFile:   "key.pem",
	}
	profile := config.Profile{}
	for key, v := range values {
		got, err := checkValue(key, v)
		if err != nil {
			t.Fatalf("checkValue(%s, %q): %v", key, v, err)
		}
		profile[key] = got
	}
	if err := checkProfile(profile); err != nil {
		t.Fatal(err)
	}
	loc := location(t, "")
	if err := (&config.File{Profiles: map[string]config.Profile{"p": profile}}).Write(loc.Path); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvConfig, loc.Path)
	t.Setenv(config.EnvProfile, "p")
	s, err := config.Loader{}.Load()
	if err != nil {
		t.Fatalf("Loader rejects what config set accepts: %v", err)
	}
	if s.Region.Code != "AU" || s.AuthMethod != config.AuthClientSecretPost || s.TokenURL != "https://auth.example.com/"+envID+"/as/token" {
		t.Errorf("Loader resolved %+v", s)
	}
}

func TestCheckProfile(t *testing.T) {
	tests := []struct {
		name    string
		profile config.Profile
		wantErr string
	}{
		{"empty", config.Profile{}, ""},
		{"region and matching root domain", config.Profile{"region": "EU", "root-domain": "pingone.eu"}, ""},
		{"region and other root domain", config.Profile{"region": "EU", "root-domain": "pingone.com"}, "region EU uses root domain pingone.eu, but the profile's root domain is pingone.com"},
		{"secret twice", config.Profile{"client-secret": "s", "client-secret-file": "/f"}, "both client-secret and client-secret-file"},
	}
	for _, tt := range tests {
		err := checkProfile(tt.profile)
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: checkProfile = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}
