package config_test

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/p1ctl/p1ctl/internal/config"
)

// A flag given a blank value (--region "") counts as unset, as a blank
// variable does: the lower layers show through, in the values and in the
// sources doctor reports.
func TestLoadBlankFlagIsUnset(t *testing.T) {
	profile := map[string]string{config.KeyRegion: "EU", config.KeyEnvironmentID: envIDProfile, config.KeyClientID: "profile-client"}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		key      string
		want     string
		wantKind config.SourceKind
	}{
		{"empty region, profile shows", []string{"--region", ""}, nil, config.KeyRegion, "EU", config.FromProfile},
		{"blank region, profile shows", []string{"--region", "  "}, nil, config.KeyRegion, "EU", config.FromProfile},
		{"empty region, env shows", []string{"--region="}, map[string]string{"PINGONE_REGION": "CA"}, config.KeyRegion, "CA", config.FromEnv},
		{"empty -e, profile shows", []string{"-e", ""}, nil, config.KeyEnvironmentID, envIDProfile, config.FromProfile},
		{"empty client ID, profile shows", []string{"--client-id", "\t"}, nil, config.KeyClientID, "profile-client", config.FromProfile},
		{"empty root domain, no conflict", []string{"--root-domain", ""}, nil, config.KeyRootDomain, "", config.FromDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, profile, tt.env)
			s := mustLoad(t, tt.args...)
			if got := s.Values[tt.key]; got != tt.want {
				t.Errorf("Values[%q] = %q, want %q", tt.key, got, tt.want)
			}
			if got := s.Sources[tt.key].Kind; got != tt.wantKind {
				t.Errorf("Sources[%q] = %v, want kind %v", tt.key, s.Sources[tt.key], tt.wantKind)
			}
		})
	}

	t.Run("empty region keeps the profile's host", func(t *testing.T) {
		isolateWithLayers(t, profile, nil)
		s := mustLoad(t, "--region", "")
		if want := "https://auth.pingone.eu/" + envIDProfile + "/as/token"; s.TokenURL != want {
			t.Errorf("TokenURL = %q, want %q", s.TokenURL, want)
		}
		if s.RegionSource().Kind != config.FromProfile {
			t.Errorf("RegionSource() = %v, want the profile", s.RegionSource())
		}
	})
}

// Blank --profile, P1CTL_PROFILE, --config and P1CTL_CONFIG count as unset.
func TestLoadBlankProfileAndConfigAreUnset(t *testing.T) {
	const content = "active-profile: dev\nprofiles:\n  dev:\n    client-id: dev-client\n"
	tests := []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"P1CTL_PROFILE blank", nil, map[string]string{config.EnvProfile: "  "}},
		{"--profile blank", []string{"--profile", " "}, nil},
		{"--config empty", []string{"--config", ""}, nil},
		{"P1CTL_CONFIG blank", nil, map[string]string{config.EnvConfig: " "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolate(t)
			writeFile(t, defaultConfigPath(home), content, 0o600)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s := mustLoad(t, tt.args...)
			if s.Profile != "dev" || s.ClientID != "dev-client" {
				t.Errorf("profile %q, client %q; want the active profile dev", s.Profile, s.ClientID)
			}
		})
	}

	t.Run("P1CTL_PROFILE is trimmed", func(t *testing.T) {
		home := isolate(t)
		writeFile(t, defaultConfigPath(home), content+"  prod:\n    client-id: prod-client\n", 0o600)
		t.Setenv(config.EnvProfile, " prod ")
		if s := mustLoad(t); s.Profile != "prod" {
			t.Errorf("Profile = %q, want prod", s.Profile)
		}
	})
}

// An invalid value from the environment or a profile says where it came
// from; one from a flag is on the command line already.
func TestLoadInvalidValueNamesSource(t *testing.T) {
	tests := []struct {
		name    string
		profile map[string]string
		env     map[string]string
		args    []string
		want    []string
		notWant string
	}{
		{"profile region", map[string]string{config.KeyRegion: "XX"}, nil, nil,
			[]string{`unknown region "XX"`, `(from profile "default" in `, "config.yaml)", "--region"}, ""},
		{"env alias region", nil, map[string]string{"PINGONE_REGION_CODE": "Asia-Pac"}, nil,
			[]string{`"Asia-Pac"`, "environment variable PINGONE_REGION_CODE (alias of PINGONE_REGION)"}, ""},
		{"env environment ID", nil, map[string]string{"PINGONE_ENVIRONMENT_ID": "1234"}, nil,
			[]string{`environment ID "1234" is not a UUID (from environment variable PINGONE_ENVIRONMENT_ID)`}, ""},
		{"profile auth method", map[string]string{config.KeyAuthMethod: "basic"}, nil, nil,
			[]string{`unknown auth method "basic"`, `(from profile "default" in `}, ""},
		{"flag region", nil, nil, []string{"--region", "XX"},
			[]string{`unknown region "XX"`}, "(from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, tt.profile, tt.env)
			_, err := load(t, nil, tt.args...)
			wantConfigError(t, err, tt.want...)
			if tt.notWant != "" && strings.Contains(err.Error(), tt.notWant) {
				t.Errorf("error %q contains %q", err, tt.notWant)
			}
		})
	}
}

func TestLoadSecretFileErrorNamesSource(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	empty := writeFile(t, filepath.Join(t.TempDir(), "empty"), "\n", 0o600)
	for _, tt := range []struct {
		name    string
		profile map[string]string
		env     map[string]string
		want    []string
	}{
		{"unreadable, from env", nil, map[string]string{"PINGONE_CLIENT_SECRET_FILE": missing},
			[]string{"cannot read the client secret file (from environment variable PINGONE_CLIENT_SECRET_FILE)", missing}},
		{"empty, from profile", map[string]string{config.KeyClientSecretFile: empty}, nil,
			[]string{"client secret file " + empty + ` (from profile "default" in `, "is empty"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			isolateWithLayers(t, tt.profile, tt.env)
			_, err := load(t, nil)
			wantConfigError(t, err, tt.want...)
		})
	}
}

// private_key_jwt sends no secret: a secret file it cannot read is no
// reason to fail.
func TestLoadSecretFileSkippedWithoutSecret(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	isolateWithLayers(t, map[string]string{config.KeyClientSecretFile: missing, config.KeyAuthMethod: config.AuthPrivateKeyJWT}, nil)
	s := mustLoad(t)
	if s.ClientSecret != "" {
		t.Errorf("ClientSecret = %q, want none", s.ClientSecret)
	}
	// The secret is read again as soon as the method needs it.
	_, err := load(t, nil, "--auth-method", config.AuthClientSecretBasic)
	wantConfigError(t, err, "cannot read the client secret file")
}

// Terraform's provider took AsiaPacific, Canada, Europe and NorthAmerica in
// PINGONE_REGION.
func TestLoadTerraformRegionNames(t *testing.T) {
	for name, want := range map[string]string{
		"AsiaPacific":  "AP",
		"ASIA_PACIFIC": "AP",
		"asiapacific":  "AP",
		"Canada":       "CA",
		"Europe":       "EU",
		"NorthAmerica": "NA",
	} {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			t.Setenv("PINGONE_REGION", name)
			if got := mustLoad(t).Region.Code; got != want {
				t.Errorf("PINGONE_REGION=%s: region %s, want %s", name, got, want)
			}
		})
	}
}

// A password in a URL is never repeated, whatever else is wrong with the
// URL and whichever variable holds it.
func TestLoadURLErrorHidesPassword(t *testing.T) {
	const password = "ter2"
	tests := []struct {
		env, value string
		want       string
	}{
		{"PINGONE_TOKEN_URL", "https://user:hunter2@auth.example.com/as/token", `"https://[REDACTED]@auth.example.com/as/token"`},
		{"PINGONE_TOKEN_URL", "https://hunter2@auth.example.com/as/token", `"https://[REDACTED]@auth.example.com/as/token"`},
		{"PINGONE_AUTH_URL", "http://user:hunter2@10.0.0.1", `"http://[REDACTED]@10.0.0.1"`},
		{"PINGONE_API_URL", "https://user:hunter2@auth.example.com:99999/v1", "user name or password"},
		{"PINGONE_API_URL", "https://us er:hunter2@auth.example.com/v1", "api-url"},
		{"PINGONE_API_URL", "user:hunter2@auth.example.com", "api-url"},
		{"PINGONE_API_URL", "https:/user:hunter2@auth.example.com", "api-url"},
		{"PINGONE_AUTH_SERVICE_HOSTNAME", "user:hunter2@auth.pingone.eu", "PINGONE_AUTH_SERVICE_HOSTNAME"},
		{"PINGONE_API_DOMAIN", "user:hunter2@api.pingone.eu", "PINGONE_API_DOMAIN"},
		// A password holding '/', '?' or '#' must not end the user info
		// early: the parser would then quote part of it.
		{"PINGONE_TOKEN_URL", "https://user:hun/ter2@auth.example.com/as/token", `"https://[REDACTED]@auth.example.com/as/token"`},
		{"PINGONE_TOKEN_URL", "https://user:hun?ter2@auth.example.com/as/token", `"https://[REDACTED]@auth.example.com/as/token"`},
		{"PINGONE_API_URL", "https://user:hun#ter2@api.example.com/v1", `"https://[REDACTED]@api.example.com/v1"`},
		{"PINGONE_AUTH_SERVICE_HOSTNAME", "user:hun?ter2@auth.pingone.eu", "must not contain user name or password"},
		{"PINGONE_API_SERVICE_HOSTNAME", "user:hun/ter2@api.pingone.eu", "must not contain user name or password"},
		// Domains too: their own checks would quote the whole value.
		{"PINGONE_CUSTOM_DOMAIN", "user:hunter2@auth.example.com", `custom-domain "[REDACTED]@auth.example.com" is not usable: must not contain user name or password`},
		{"PINGONE_CUSTOM_DOMAIN", "https://user:hunter2@auth.example.com", `custom-domain "https://[REDACTED]@auth.example.com" is not usable`},
		{"PINGONE_ROOT_DOMAIN", "user:hunter2@pingone.eu", `root-domain "[REDACTED]@pingone.eu" is not usable: must not contain user name or password`},
	}
	for _, tt := range tests {
		t.Run(tt.env+"="+tt.value, func(t *testing.T) {
			isolate(t)
			t.Setenv(tt.env, tt.value)
			_, err := load(t, nil, "-e", envIDFlag)
			wantConfigError(t, err, tt.want)
			if strings.Contains(err.Error(), password) {
				t.Errorf("error repeats the password: %v", err)
			}
		})
	}
}

// The warning about a config file others can read fires when any profile
// holds a secret, not only the one in use.
func TestLoadConfigFilePermissionWarningAnyProfile(t *testing.T) {
	home := isolate(t)
	path := writeFile(t, defaultConfigPath(home), "active-profile: dev\nprofiles:\n  dev:\n    client-id: c\n  prod:\n    client-secret: s\n", 0o644)
	s := mustLoad(t)
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], path) || !strings.Contains(s.Warnings[0], "chmod 600") {
		t.Errorf("Warnings = %q, want one about %s", s.Warnings, path)
	}
}

// A profile name p1ctl could not create is refused as such, with no advice
// to create it; one a hand-edited file holds stays usable.
func TestLoadProfileNameNotUsable(t *testing.T) {
	const file = "profiles:\n  default:\n    client-id: default-client\n  my prod:\n    client-id: prod-client\n"
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		active     string
		wantClient string
		wantErr    string
	}{
		{name: "--profile", args: []string{"--profile", "bad name"}, wantErr: `profile name "bad name" is not usable: use up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit`},
		{name: "P1CTL_PROFILE", env: map[string]string{config.EnvProfile: "-x"}, wantErr: `profile name "-x" is not usable`},
		{name: "active-profile", active: "a/b", wantErr: `profile name "a/b" is not usable`},
		{name: "held by the file", args: []string{"--profile", "my prod"}, wantClient: "prod-client"},
		{name: "usable and missing", args: []string{"--profile", "staging"}, wantErr: "create it with p1ctl config init --profile staging"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolate(t)
			content := file
			if tt.active != "" {
				content = "active-profile: " + strconv.Quote(tt.active) + "\n" + file
			}
			writeFile(t, defaultConfigPath(home), content, 0o600)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			s, err := load(t, nil, tt.args...)
			if tt.wantErr != "" {
				wantConfigError(t, err, tt.wantErr)
				if strings.Contains(tt.wantErr, "not usable") && strings.Contains(err.Error(), "create it") {
					t.Errorf("error %q advises creating an unusable profile", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.ClientID != tt.wantClient {
				t.Errorf("ClientID = %q, want %q", s.ClientID, tt.wantClient)
			}
		})
	}
}

// On a terminal, --client-secret-stdin is refused before anything is read:
// the secret would be echoed, and p1ctl would wait without a word.
func TestLoadSecretStdinTerminal(t *testing.T) {
	isolate(t)
	stdin := iotest.ErrReader(errors.New("standard input was read"))
	_, err := config.Loader{Flags: newFlags(t, "--client-secret-stdin"), Stdin: stdin, StdinIsTerminal: true}.Load()
	wantConfigError(t, err, "--client-secret-stdin", "terminal", "--client-secret-file")

	// Without the flag, a terminal on standard input changes nothing.
	t.Setenv("PINGONE_CLIENT_SECRET", "env-secret")
	s, err := config.Loader{Flags: newFlags(t), Stdin: stdin, StdinIsTerminal: true}.Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.ClientSecret != "env-secret" {
		t.Errorf("ClientSecret = %q, want env-secret", s.ClientSecret)
	}
}

// The chmod a warning suggests works when pasted, even for a path with a
// space (macOS's "Application Support").
func TestLoadPermissionWarningQuotesPath(t *testing.T) {
	isolate(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "Application Support", "secret"), "s3cret\n", 0o644)
	s := mustLoad(t, "--client-secret-file", path)
	if want := "run chmod 600 '" + path + "'"; len(s.Warnings) != 1 || !strings.HasSuffix(s.Warnings[0], want) {
		t.Errorf("Warnings = %q, want one ending %q", s.Warnings, want)
	}
}
