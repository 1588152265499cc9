package configcmd

import (
	"context"
	"io"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestInitNonInteractive(t *testing.T) {
	tests := []struct {
		name        string
		existing    string
		profile     string
		flags       map[string]string
		env         map[string]string
		stdin       string
		secretStdin bool
		wantName    string
		want        config.Profile
		wantActive  string
		wantErr     string
		// wantErrToo are further facts the error names.
		wantErrToo []string
		wantStderr []string
	}{
		{
			name:       "flags and secret variable",
			flags:      map[string]string{"region": "eu", "environment-id": envID, "client-id": clientID},
			env:        map[string]string{"PINGONE_CLIENT_SECRET": "s3cret"},
			wantName:   "default",
			want:       config.Profile{"region": "EU", "environment-id": envID, "client-id": clientID, "client-secret": "s3cret"},
			wantActive: "default",
			wantStderr: []string{"region: EU (from --region)\n", "client-secret: [REDACTED] (from PINGONE_CLIENT_SECRET)\n", `Wrote profile "default" to `, "It is the active profile."},
		},
		{
			name:       "everything from the environment, aliases included",
			env:        map[string]string{"PINGONE_REGION_CODE": "CA", "PINGONE_ENVIRONMENT_ID": envID, "PINGONE_CLIENT_CREDENTIALS_CLIENT_ID": clientID, "PINGONE_CLIENT_CREDENTIALS_CLIENT_SECRET": "s", "PINGONE_API_URL": "https://api.pingone.ca/v1/"},
			wantName:   "default",
			want:       config.Profile{"region": "CA", "environment-id": envID, "client-id": clientID, "client-secret": "s", "api-url": "https://api.pingone.ca/v1"},
			wantActive: "default",
		},
		{
			name:       "the other tools' differently-shaped variables, converted",
			env:        map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "eu", "PINGONE_API_SERVICE_HOSTNAME": "api.pingone.eu", "PINGONE_ENVIRONMENT_ID": envID, "PINGONE_CLIENT_ID": clientID, "PINGONE_CLIENT_SECRET": "s"},
			wantName:   "default",
			want:       config.Profile{"root-domain": "pingone.eu", "api-url": "https://api.pingone.eu/v1", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
			wantStderr: []string{"root-domain: pingone.eu (from PINGONE_TOP_LEVEL_DOMAIN)\n"},
		},
		{
			name:       "blank variables count as unset",
			flags:      map[string]string{"environment-id": envID, "client-id": clientID},
			env:        map[string]string{"PINGONE_REGION": "  ", "PINGONE_REGION_CODE": "SG", "PINGONE_CUSTOM_DOMAIN": "\t", "PINGONE_CLIENT_SECRET": "s"},
			wantName:   "default",
			want:       config.Profile{"region": "SG", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
		},
		{
			name:       "a secret file is stored as its path",
			profile:    "prod",
			flags:      map[string]string{"environment-id": envID, "client-id": clientID, "client-secret-file": "/run/secrets/p1"},
			env:        map[string]string{"PINGONE_CLIENT_SECRET": "ignored: the flag wins"},
			wantName:   "prod",
			want:       config.Profile{"environment-id": envID, "client-id": clientID, "client-secret-file": "/run/secrets/p1"},
			wantActive: "prod",
		},
		{
			name:        "secret from stdin",
			flags:       map[string]string{"environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			stdin:       "piped-secret\n",
			secretStdin: true,
			wantName:    "default",
			want:        config.Profile{"environment-id": envID, "client-id": clientID, "client-secret": "piped-secret"},
			wantActive:  "default",
			wantStderr:  []string{"client-secret: [REDACTED] (from --client-secret-stdin)"},
		},
		{
			name:       "updating keeps the other profiles, the active one and the secret",
			existing:   twoProfiles,
			profile:    "prod",
			flags:      map[string]string{"environment-id": envID, "region": "AU"},
			wantName:   "prod",
			want:       config.Profile{"client-id": "prod-client", "client-secret-file": "/run/secrets/p1", "environment-id": envID, "region": "AU"},
			wantActive: "dev",
			wantStderr: []string{"p1ctl token get --profile prod", "p1ctl config use prod"},
		},
		{
			name:       "an implicitly used default profile stays in use",
			existing:   "profiles:\n  default:\n    client-id: d\n",
			profile:    "prod",
			flags:      map[string]string{"environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantName:   "prod",
			want:       config.Profile{"environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantActive: "default",
			wantStderr: []string{"Try it: p1ctl token get --profile prod"},
		},
		{
			name:       "an inline secret replaces a secret file",
			existing:   twoProfiles,
			profile:    "prod",
			flags:      map[string]string{"environment-id": envID},
			env:        map[string]string{"PINGONE_CLIENT_SECRET": "new"},
			wantName:   "prod",
			want:       config.Profile{"client-id": "prod-client", "client-secret": "new", "environment-id": envID},
			wantActive: "dev",
		},
		{
			name:       "private_key_jwt needs a key, not a secret",
			flags:      map[string]string{"environment-id": envID, "client-id": clientID, "auth-method": "private_key_jwt", "private-key-file": "/k.pem", "key-id": "k1"},
			wantName:   "default",
			want:       config.Profile{"environment-id": envID, "client-id": clientID, "auth-method": "private_key_jwt", "private-key-file": "/k.pem", "key-id": "k1"},
			wantActive: "default",
		},
		{
			name:       "a custom domain needs no environment ID",
			flags:      map[string]string{"custom-domain": "auth.example.com", "client-id": clientID, "client-secret-file": "/f"},
			wantName:   "default",
			want:       config.Profile{"custom-domain": "auth.example.com", "client-id": clientID, "client-secret-file": "/f"},
			wantActive: "default",
		},
		{
			name:    "nothing given",
			wantErr: `profile "default" needs client-id, environment-id and a client secret: pass them as flags`,
		},
		{
			name:    "no secret",
			flags:   map[string]string{"environment-id": envID, "client-id": clientID},
			wantErr: `profile "default" needs a client secret: pass it as a flag (--client-secret-file or --client-secret-stdin) or an environment variable (PINGONE_CLIENT_SECRET), or run p1ctl config init on a terminal to be asked`,
		},
		{
			name:    "private_key_jwt without a key",
			flags:   map[string]string{"environment-id": envID, "client-id": clientID, "auth-method": "private_key_jwt"},
			wantErr: `profile "default" needs private-key-file: pass it as a flag (--private-key-file) or an environment variable (PINGONE_PRIVATE_KEY_FILE), or run`,
		},
		{
			name:    "invalid value names its source",
			flags:   map[string]string{"client-id": clientID},
			env:     map[string]string{"PINGONE_ENVIRONMENT_ID": "1234"},
			wantErr: `environment ID "1234" is not a UUID (from PINGONE_ENVIRONMENT_ID)`,
		},
		{
			name:    "an unusable converted variable names itself",
			flags:   map[string]string{"environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			env:     map[string]string{"PINGONE_TOP_LEVEL_DOMAIN": "org"},
			wantErr: `PINGONE_TOP_LEVEL_DOMAIN="org": not a PingOne top-level domain`,
		},
		{
			name:       "secret and secret file both from the environment",
			env:        map[string]string{"PINGONE_CLIENT_SECRET": "s", "PINGONE_CLIENT_SECRET_FILE": "/f"},
			wantErr:    "PINGONE_CLIENT_SECRET)",
			wantErrToo: []string{"PINGONE_CLIENT_SECRET_FILE"},
		},
		{
			name:        "control character in the secret on stdin",
			flags:       map[string]string{"environment-id": envID, "client-id": clientID},
			stdin:       "s\x1b[2Jt\n",
			secretStdin: true,
			wantErr:     "control characters",
			wantErrToo:  []string{"--client-secret-stdin"},
		},
		{
			name:        "empty secret on stdin",
			stdin:       "\n",
			secretStdin: true,
			wantErr:     "--client-secret-stdin read an empty client secret",
		},
		// region and root-domain spell one setting: writing one removes
		// the other, and of two given the higher layer wins, as at run time.
		{
			name:       "region replaces the profile's root domain",
			existing:   "profiles:\n  default:\n    root-domain: pingone.eu\n",
			flags:      map[string]string{"region": "NA", "environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantName:   "default",
			want:       config.Profile{"region": "NA", "environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantActive: "default",
		},
		{
			name:       "root domain from the environment replaces the profile's region",
			existing:   "profiles:\n  default:\n    region: EU\n    environment-id: " + envID + "\n    client-id: " + clientID + "\n    client-secret: s\n",
			env:        map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.ca"},
			wantName:   "default",
			want:       config.Profile{"root-domain": "pingone.ca", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
		},
		{
			name:       "region flag beats a root domain variable",
			flags:      map[string]string{"region": "EU", "environment-id": envID, "client-id": clientID},
			env:        map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.ca", "PINGONE_CLIENT_SECRET": "s"},
			wantName:   "default",
			want:       config.Profile{"region": "EU", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
		},
		{
			name:       "root domain flag beats a region variable",
			flags:      map[string]string{"root-domain": "pingone.sg", "environment-id": envID, "client-id": clientID},
			env:        map[string]string{"PINGONE_REGION": "EU", "PINGONE_CLIENT_SECRET": "s"},
			wantName:   "default",
			want:       config.Profile{"root-domain": "pingone.sg", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
		},
		{
			name:       "region and root domain variables that agree",
			env:        map[string]string{"PINGONE_REGION": "eu", "PINGONE_ROOT_DOMAIN": "pingone.eu", "PINGONE_ENVIRONMENT_ID": envID, "PINGONE_CLIENT_ID": clientID, "PINGONE_CLIENT_SECRET": "s"},
			wantName:   "default",
			want:       config.Profile{"region": "EU", "environment-id": envID, "client-id": clientID, "client-secret": "s"},
			wantActive: "default",
		},
		{
			// As when p1ctl runs: every given value is checked, also the
			// one the other spelling's higher layer overrides.
			name:    "invalid root domain variable under a region flag",
			flags:   map[string]string{"region": "EU", "environment-id": envID, "client-id": clientID},
			env:     map[string]string{"PINGONE_ROOT_DOMAIN": "pingone.mars", "PINGONE_CLIENT_SECRET": "s"},
			wantErr: "PINGONE_ROOT_DOMAIN",
		},
		{
			name:    "region and root domain flags that disagree",
			flags:   map[string]string{"region": "EU", "root-domain": "pingone.ca", "environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantErr: "--root-domain",
		},
		{
			name:    "unusable profile name",
			profile: "my profile",
			wantErr: `profile name "my profile" is not usable`,
		},
		{
			name:     "broken config file",
			existing: "profiles:\n  default:\n    client_id: x\n",
			flags:    map[string]string{"environment-id": envID, "client-id": clientID, "client-secret-file": "/f"},
			wantErr:  `cannot use config file`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, tt.existing)
			loc.Profile = tt.profile
			ios, stdin, stdout, stderr := testStreams()
			stdin.WriteString(tt.stdin)
			opts := &InitOptions{
				IO:          ios,
				Location:    loc,
				Getenv:      func(k string) string { return tt.env[k] },
				Flags:       flagSet(t, tt.flags),
				SecretStdin: tt.secretStdin,
			}
			before, _ := os.ReadFile(loc.Path)
			err := initRun(context.Background(), opts)
			if tt.wantErr != "" {
				wantError(t, err, new(*config.Error), append(tt.wantErrToo, tt.wantErr)...)
				if after, _ := os.ReadFile(loc.Path); string(after) != string(before) {
					t.Errorf("the config file changed although init failed:\n%s", after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			for _, secret := range []string{"s3cret", "piped-secret"} {
				if strings.Contains(stderr.String(), secret) {
					t.Errorf("stderr shows the secret:\n%s", stderr)
				}
			}
			f := readBack(t, loc)
			wantProfile(t, f.Profiles[tt.wantName], tt.want)
			if f.ActiveProfile != tt.wantActive {
				t.Errorf("active-profile = %q, want %q", f.ActiveProfile, tt.wantActive)
			}
			if tt.existing == twoProfiles && tt.wantName != "dev" {
				wantProfile(t, f.Profiles["dev"], config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID, "region": "EU"})
			}
		})
	}
}

func TestInitInteractive(t *testing.T) {
	tests := []struct {
		name         string
		existing     string
		profile      string
		flags        map[string]string
		env          map[string]string
		answers      string
		want         config.Profile
		wantErr      string
		wantTerminal []string
	}{
		{
			name: "asks for everything, again after a bad answer",
			answers: strings.Join([]string{
				"mars", "eu", // region
				"", "1234", envID, // environment ID: required, then a UUID
				clientID,
				"", "typed-secret", // secret: required
			}, "\n") + "\n",
			want: config.Profile{"region": "EU", "environment-id": envID, "client-id": clientID, "client-secret": "typed-secret"},
			wantTerminal: []string{
				`Creating profile "default" in `,
				"Region (NA, EU, CA, AP, AU, SG) [NA]: ",
				`  unknown region "mars" (valid: NA, EU, CA, AP, AU, SG)`,
				"Environment ID: ",
				"  An answer is required.",
				`  environment ID "1234" is not a UUID`,
				"Client ID: ",
				"Client secret (input hidden): ",
				"  A client secret is required.",
			},
		},
		{
			name:     "Enter keeps the current values",
			existing: twoProfiles,
			profile:  "dev",
			answers:  "\n\n\n\n",
			want:     config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID, "region": "EU"},
			wantTerminal: []string{
				`Updating profile "dev" in `,
				"Region (NA, EU, CA, AP, AU, SG) [EU]: ",
				"Environment ID [" + envID + "]: ",
				"Client ID [dev-client]: ",
				"Client secret (input hidden; Enter keeps the current one): ",
			},
		},
		{
			name:         "given settings are not asked for",
			flags:        map[string]string{"region": "SG", "client-id": clientID},
			env:          map[string]string{"PINGONE_CLIENT_SECRET_FILE": "/run/secrets/p1"},
			answers:      envID + "\n",
			want:         config.Profile{"region": "SG", "environment-id": envID, "client-id": clientID, "client-secret-file": "/run/secrets/p1"},
			wantTerminal: []string{"region: SG (from --region)", "Environment ID: "},
		},
		{
			name:     "no region question next to an auth URL",
			existing: "profiles:\n  default:\n    auth-url: http://127.0.0.1:9999\n",
			answers:  envID + "\n" + clientID + "\nsecret\n",
			want:     config.Profile{"auth-url": "http://127.0.0.1:9999", "environment-id": envID, "client-id": clientID, "client-secret": "secret"},
		},
		{
			name:    "private_key_jwt asks for the key file",
			flags:   map[string]string{"auth-method": "private_key_jwt"},
			answers: "\n" + envID + "\n" + clientID + "\n/keys/p1.pem\n",
			want:    config.Profile{"auth-method": "private_key_jwt", "region": "NA", "environment-id": envID, "client-id": clientID, "private-key-file": "/keys/p1.pem"},
		},
		{
			name:    "input ends early: nothing written",
			answers: "EU\n" + envID + "\n",
			wantErr: "nothing was written",
		},
		{
			name:    "too many bad answers",
			answers: strings.Repeat("mars\n", maxAttempts),
			wantErr: "too many invalid answers to region",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, tt.existing)
			loc.Profile = tt.profile
			ios, stdin, stdout, stderr := testStreams()
			ios.SetTTY(true, true)
			stdin.WriteString(tt.answers)
			err := initRun(context.Background(), &InitOptions{
				IO:       ios,
				Location: loc,
				Getenv:   func(k string) string { return tt.env[k] },
				Flags:    flagSet(t, tt.flags),
			})
			if tt.wantErr != "" {
				wantError(t, err, new(*config.Error), tt.wantErr)
				if _, statErr := os.Stat(loc.Path); tt.existing == "" && statErr == nil {
					t.Error("a config file was written although init failed")
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\nstderr:\n%s", err, stderr)
			}
			terminal := stdout.String() + stderr.String()
			for _, w := range tt.wantTerminal {
				if !strings.Contains(terminal, w) {
					t.Errorf("the terminal does not show %q:\n%s", w, terminal)
				}
			}
			if !strings.HasPrefix(stdout.String(), "Creating profile") && !strings.HasPrefix(stdout.String(), "Updating profile") {
				t.Errorf("stdout does not start the dialogue:\n%s", stdout)
			}
			name := tt.profile
			if name == "" {
				name = "default"
			}
			wantProfile(t, readBack(t, loc).Profiles[name], tt.want)
		})
	}
}

func TestInitSecretStdinOnTerminal(t *testing.T) {
	ios, _, _, _ := testStreams()
	ios.SetTTY(true, false)
	err := initRun(context.Background(), &InitOptions{IO: ios, Location: location(t, ""), Getenv: func(string) string { return "" }, SecretStdin: true})
	wantError(t, err, new(*config.Error), "--client-secret-stdin needs the secret piped into p1ctl")
}

func TestInitInterrupted(t *testing.T) {
	ios, _, _, _ := testStreams()
	ios.SetTTY(true, true)
	unblock := make(blockingReader)
	t.Cleanup(func() { close(unblock) })
	ios.In = unblock
	loc := location(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := initRun(ctx, &InitOptions{IO: ios, Location: loc, Getenv: func(string) string { return "" }})
	if err != context.Canceled {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(loc.Path); err == nil {
		t.Error("a config file was written")
	}
}

// blockingReader blocks until closed, like a terminal nobody types into.
type blockingReader chan struct{}

func (r blockingReader) Read([]byte) (int, error) {
	<-r
	return 0, io.EOF
}

func TestSetValueKeepsOneSpelling(t *testing.T) {
	tests := []struct {
		name       string
		profile    config.Profile
		key, value string
		want       config.Profile
		wantNote   string
	}{
		{"nothing to replace", config.Profile{"client-id": "c"}, "region", "EU", config.Profile{"client-id": "c", "region": "EU"}, ""},
		{"same key overwritten", config.Profile{"region": "NA"}, "region", "EU", config.Profile{"region": "EU"}, ""},
		{"region replaces root-domain", config.Profile{"root-domain": "pingone.ca"}, "region", "EU", config.Profile{"region": "EU"},
			"Removed root-domain pingone.ca from the profile: region EU replaces it"},
		{"root-domain replaces region", config.Profile{"region": "EU"}, "root-domain", "pingone.com", config.Profile{"root-domain": "pingone.com"},
			"Removed region EU from the profile: root-domain pingone.com replaces it"},
		{"secret file replaces secret", config.Profile{"client-secret": "s3cret"}, "client-secret-file", "/run/p1", config.Profile{"client-secret-file": "/run/p1"},
			"Removed the client-secret stored in the profile: the secret now comes from /run/p1"},
		{"secret replaces secret file", config.Profile{"client-secret-file": "/run/p1"}, "client-secret", "s3cret", config.Profile{"client-secret": "s3cret"},
			"Removed client-secret-file /run/p1 from the profile: the profile now stores the secret"},
		// A hand-edited value was never checked: its password stays out.
		{"region replaces a root-domain with user info", config.Profile{"root-domain": "user:s3cret@pingone.ca"}, "region", "EU", config.Profile{"region": "EU"},
			"Removed root-domain [REDACTED]@pingone.ca from the profile: region EU replaces it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			note := setValue(tt.profile, tt.key, tt.value)
			if note != tt.wantNote {
				t.Errorf("note = %q, want %q", note, tt.wantNote)
			}
			if !maps.Equal(tt.profile, tt.want) {
				t.Errorf("profile = %v, want %v", tt.profile, tt.want)
			}
			if strings.Contains(note, "s3cret") {
				t.Error("the note repeats the secret")
			}
		})
	}
}
