package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestHowToSet(t *testing.T) {
	tests := []struct {
		key  string
		want []string // the flag, variable and profile key named
		not  string   // a way to set it that does not exist
	}{
		{config.KeyClientID, []string{"--client-id", "PINGONE_CLIENT_ID", `"client-id"`}, ""},
		// The secret has no flag holding it, where other users could see it.
		{config.KeyClientSecret, []string{"PINGONE_CLIENT_SECRET", `"client-secret"`}, "--client-secret,"},
		{config.KeyEnvironmentID, []string{"--environment-id", "PINGONE_ENVIRONMENT_ID", `"environment-id"`}, ""},
		{config.KeyRegion, []string{"--region", "PINGONE_REGION", `"region"`}, ""},
		{config.KeyPrivateKeyFile, []string{"--private-key-file", "PINGONE_PRIVATE_KEY_FILE", `"private-key-file"`}, ""},
		{"no-such-key", []string{"no-such-key"}, "PINGONE_"},
	}
	for _, tt := range tests {
		got := config.HowToSet(tt.key)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("HowToSet(%q) = %q, want it to name %s", tt.key, got, w)
			}
		}
		if tt.not != "" && strings.Contains(got, tt.not) {
			t.Errorf("HowToSet(%q) = %q names %q", tt.key, got, tt.not)
		}
	}
}

// Every *Error about a key names the flag and the environment variable
// that set it.
func TestErrorNamesFlagAndEnv(t *testing.T) {
	for _, k := range config.Keys {
		t.Run(k.Name, func(t *testing.T) {
			msg := (&config.Error{Key: k.Name, Problem: "something is wrong"}).Error()
			if !strings.HasPrefix(msg, "something is wrong: set ") {
				t.Errorf("message %q does not start with the problem and a hint", msg)
			}
			if k.Flag != "" && !strings.Contains(msg, "--"+k.Flag) {
				t.Errorf("message %q does not name --%s", msg, k.Flag)
			}
			// Profile-only keys (client-secret-store) have no variable.
			if len(k.Env) > 0 && !strings.Contains(msg, k.Env[0]) {
				t.Errorf("message %q does not name %s", msg, k.Env[0])
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		name string
		err  *config.Error
		want string
	}{
		{"problem only", &config.Error{Problem: "bad"}, "bad"},
		{"with cause", &config.Error{Problem: "bad", Err: cause}, "bad: cause"},
		{"explicit hint", &config.Error{Key: config.KeyClientID, Problem: "bad", Hint: "do this"}, "bad: do this"},
		{"derived hint", &config.Error{Key: config.KeyKeyID, Problem: "bad", Err: cause}, "bad: cause: set "},
	}
	for _, tt := range tests {
		// The problem, its cause and the hint come in that order; the hint's
		// wording is HowToSet's, tested above.
		if got := tt.err.Error(); !strings.HasPrefix(got, tt.want) || tt.err.Key == "" && got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := (&config.Error{Key: config.KeyKeyID, Problem: "bad"}).Error(); !strings.Contains(got, "--key-id") || !strings.Contains(got, "PINGONE_KEY_ID") {
		t.Errorf("Error() = %q, want the derived hint to name --key-id and PINGONE_KEY_ID", got)
	}
	if !errors.Is(&config.Error{Problem: "x", Err: cause}, cause) {
		t.Error("Error does not unwrap to its cause")
	}
}

func TestCheckTokenRequest(t *testing.T) {
	complete := func() *config.Settings {
		return &config.Settings{
			ClientID:     "client",
			ClientSecret: "secret",
			TokenURL:     "https://auth.pingone.com/" + envIDFlag + "/as/token",
			APIURL:       "https://api.pingone.com/v1",
			AuthMethod:   config.AuthClientSecretBasic,
		}
	}
	tests := []struct {
		name    string
		change  func(*config.Settings)
		wantKey string
		want    []string
	}{
		{name: "complete", change: func(*config.Settings) {}},
		{name: "no client ID", change: func(s *config.Settings) { s.ClientID = "" }, wantKey: config.KeyClientID,
			want: []string{"no client ID is configured", "--client-id", "PINGONE_CLIENT_ID"}},
		{name: "no token URL", change: func(s *config.Settings) { s.TokenURL = "" }, wantKey: config.KeyEnvironmentID,
			want: []string{"no environment ID is configured", "--environment-id", "PINGONE_ENVIRONMENT_ID"}},
		{name: "no secret", change: func(s *config.Settings) { s.ClientSecret = "" }, wantKey: config.KeyClientSecret,
			// Every way to give the secret, the profile keys included, and
			// key-based auth, which needs none.
			want: []string{"no client secret is configured", "PINGONE_CLIENT_SECRET", "--client-secret-file", "PINGONE_CLIENT_SECRET_FILE", "--client-secret-stdin",
				`"client-secret"`, `"client-secret-file"`, "--auth-method private_key_jwt", "--private-key-file"}},
		{name: "no secret for client_secret_post", change: func(s *config.Settings) { s.ClientSecret, s.AuthMethod = "", config.AuthClientSecretPost }, wantKey: config.KeyClientSecret,
			want: []string{"no client secret is configured"}},
		{name: "no secret for client_secret_jwt", change: func(s *config.Settings) { s.ClientSecret, s.AuthMethod = "", config.AuthClientSecretJWT }, wantKey: config.KeyClientSecret,
			want: []string{"no client secret is configured"}},
		{name: "private_key_jwt needs no secret", change: func(s *config.Settings) {
			s.ClientSecret, s.AuthMethod, s.PrivateKeyFile = "", config.AuthPrivateKeyJWT, "/k.pem"
		}},
		{name: "private_key_jwt without a key", change: func(s *config.Settings) { s.ClientSecret, s.AuthMethod = "", config.AuthPrivateKeyJWT }, wantKey: config.KeyPrivateKeyFile,
			want: []string{"private_key_jwt needs a private key", "--private-key-file", "PINGONE_PRIVATE_KEY_FILE"}},
		{name: "client ID checked first", change: func(s *config.Settings) { *s = config.Settings{APIURL: s.APIURL} }, wantKey: config.KeyClientID,
			want: []string{"no client ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := complete()
			tt.change(s)
			err := s.CheckTokenRequest()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckTokenRequest: %v", err)
				}
				if err := s.CheckAPI(); err != nil {
					t.Fatalf("CheckAPI: %v", err)
				}
				return
			}
			if cfgErr := wantConfigError(t, err, tt.want...); cfgErr.Key != tt.wantKey {
				t.Errorf("Key = %q, want %q", cfgErr.Key, tt.wantKey)
			}
			if apiErr := s.CheckAPI(); apiErr == nil || apiErr.Error() != err.Error() {
				t.Errorf("CheckAPI = %v, want the same error", apiErr)
			}
		})
	}
}

func TestCheckAPINoURL(t *testing.T) {
	s := &config.Settings{ClientID: "c", ClientSecret: "s", TokenURL: "https://x/as/token"}
	wantConfigError(t, s.CheckAPI(), "no API URL is configured", "--api-url", "PINGONE_API_URL")
}

func TestSettingsRedactedAndIssuer(t *testing.T) {
	s := &config.Settings{
		TokenURL: "https://auth.example.com/as/token",
		Values:   map[string]string{config.KeyClientSecret: "s3cret", config.KeyClientID: "client", config.KeyClientSecretFile: "/path", config.KeyTokenURL: "https://user:pw@auth.example.com/as/token"},
	}
	for key, want := range map[string]string{
		config.KeyClientSecret:     "[REDACTED]",
		config.KeyClientID:         "client",
		config.KeyClientSecretFile: "/path",
		config.KeyKeyID:            "",
		config.KeyTokenURL:         "https://[REDACTED]@auth.example.com/as/token",
	} {
		if got := s.Redacted(key); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", key, got, want)
		}
	}
	if got := s.IssuerURL(); got != "https://auth.example.com/as" {
		t.Errorf("IssuerURL() = %q", got)
	}
	if got := (&config.Settings{}).IssuerURL(); got != "" {
		t.Errorf("IssuerURL() with no token URL = %q", got)
	}
}

func TestOrList(t *testing.T) {
	tests := []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a or b"},
		{[]string{"a", "b", "c"}, "a, b or c"},
	}
	for _, tt := range tests {
		if got := config.OrList(tt.items); got != tt.want {
			t.Errorf("OrList(%q) = %q, want %q", tt.items, got, tt.want)
		}
	}
}

func TestDisplayValue(t *testing.T) {
	tests := []struct {
		key, value, want string
	}{
		{config.KeyClientSecret, "s3cret", "[REDACTED]"},
		{config.KeyClientSecret, "", ""},
		{config.KeyClientID, "user@example.com", "user@example.com"},
		{config.KeyPrivateKeyFile, "/keys/me@host.pem", "/keys/me@host.pem"},
		{config.KeyTokenURL, "https://user:hunter2@auth.example.com/as/token", "https://[REDACTED]@auth.example.com/as/token"},
		{config.KeyAuthURL, "https://hunter2@auth.example.com", "https://[REDACTED]@auth.example.com"},
		{config.KeyAPIURL, "https://user:hun/ter2@api.example.com/v1", "https://[REDACTED]@api.example.com/v1"},
		{config.KeyCustomDomain, "user:hunter2@auth.example.com", "[REDACTED]@auth.example.com"},
		{config.KeyRootDomain, "user:hunter2@pingone.eu", "[REDACTED]@pingone.eu"},
		// Without a scheme, a "//" is part of the password.
		{config.KeyCustomDomain, "admin:se//cret@auth.example.com", "[REDACTED]@auth.example.com"},
		{config.KeyAPIURL, "admin:se//cret@api.example.com/v1", "[REDACTED]@api.example.com/v1"},
		{config.KeyAPIURL, "https://admin:se//cret@api.example.com/v1", "https://[REDACTED]@api.example.com/v1"},
		{config.KeyTokenURL, "https://auth.example.com/as/token", "https://auth.example.com/as/token"},
	}
	for _, tt := range tests {
		if got := config.DisplayValue(tt.key, tt.value); got != tt.want {
			t.Errorf("DisplayValue(%q, %q) = %q, want %q", tt.key, tt.value, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"prod", "prod"},
		{"/home/me/.config/p1ctl/config.yaml", "/home/me/.config/p1ctl/config.yaml"},
		{"a.b_c-d:e@f%g+h=i,j", "a.b_c-d:e@f%g+h=i,j"},
		{"", "''"},
		{"bad name", "'bad name'"},
		{"/Users/me/Library/Application Support/p1ctl/config.yaml", "'/Users/me/Library/Application Support/p1ctl/config.yaml'"},
		{"it's", `'it'\''s'`},
		{"$(rm -rf ~)", "'$(rm -rf ~)'"},
		{"a;b", "'a;b'"},
	}
	for _, tt := range tests {
		if got := config.ShellQuote(tt.in); got != tt.want {
			t.Errorf("ShellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
