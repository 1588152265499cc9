package configcmd

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/output"
)

func TestSet(t *testing.T) {
	tests := []struct {
		name        string
		existing    string
		profile     string
		key, value  string
		wantName    string
		want        config.Profile
		wantActive  string
		wantStderr  []string
		wantErr     string
		wantErrType any
	}{
		{
			name: "in the active profile", existing: twoProfiles, key: "region", value: "ca",
			wantName: "dev", want: config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID, "region": "CA"},
			wantActive: "dev", wantStderr: []string{"region", "CA", `"dev"`},
		},
		{
			name: "in the profile --profile names", existing: twoProfiles, profile: "prod", key: "api-url", value: "https://api.pingone.eu/v1/",
			wantName: "prod", want: config.Profile{"client-id": "prod-client", "client-secret-file": "/run/secrets/p1", "api-url": "https://api.pingone.eu/v1"},
			wantActive: "dev", wantStderr: []string{"api-url", `"prod"`},
		},
		{
			name: "no file yet: creates the default profile", key: "environment-id", value: envID,
			wantName: "default", want: config.Profile{"environment-id": envID},
			wantStderr: []string{"Created", `"default"`},
		},
		{
			name: "a secret file replaces the stored secret", existing: twoProfiles, key: "client-secret-file", value: "/run/secrets/dev",
			wantName: "dev", want: config.Profile{"client-id": "dev-client", "client-secret-file": "/run/secrets/dev", "environment-id": envID, "region": "EU"},
			wantActive: "dev", wantStderr: []string{"Removed", "client-secret", "/run/secrets/dev", "does not exist"},
		},
		{name: "client secret refused", existing: twoProfiles, key: "client-secret", value: "s3cret", wantErrType: new(*config.Error),
			wantErr: "p1ctl config set client-secret-file"},
		{name: "unknown key", key: "client_id", value: "x", wantErrType: new(*cmdutil.FlagError), wantErr: `unknown key "client_id" (valid: client-id, client-secret, client-secret-file,`},
		{name: "invalid value", key: "environment-id", value: "1234", wantErrType: new(*config.Error), wantErr: `environment ID "1234" is not a UUID`},
		{
			name: "a root domain replaces the region", existing: twoProfiles, key: "root-domain", value: "pingone.com",
			wantName: "dev", want: config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID, "root-domain": "pingone.com"},
			wantActive: "dev", wantStderr: []string{"root-domain", "pingone.com", `"dev"`, "Removed region EU"},
		},
		{name: "unusable new profile name", profile: "a b", key: "region", value: "EU", wantErrType: new(*config.Error), wantErr: `profile name "a b" is not usable`},
		{name: "URL with a password", existing: twoProfiles, key: "token-url", value: "https://user:hunter2@auth.example.com/as/token", wantErrType: new(*config.Error),
			wantErr: `token-url "https://[REDACTED]@auth.example.com/as/token"`},
		{name: "custom domain with a password", existing: twoProfiles, key: "custom-domain", value: "user:hunter2@auth.example.com", wantErrType: new(*config.Error),
			wantErr: `custom-domain "[REDACTED]@auth.example.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, tt.existing)
			loc.Profile = tt.profile
			ios, _, stdout, stderr := testStreams()
			before, _ := os.ReadFile(loc.Path)
			err := setRun(&SetOptions{IO: ios, Location: loc, Key: tt.key, Value: tt.value})
			if tt.wantErr != "" {
				wantError(t, err, tt.wantErrType, tt.wantErr)
				if after, _ := os.ReadFile(loc.Path); !bytes.Equal(before, after) {
					t.Error("the config file changed")
				}
				if strings.Contains(err.Error(), tt.value) && tt.key == config.KeyClientSecret || strings.Contains(err.Error(), "hunter2") {
					t.Error("the error repeats the secret")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q", stdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			f := readBack(t, loc)
			wantProfile(t, f.Profiles[tt.wantName], tt.want)
			if f.ActiveProfile != tt.wantActive {
				t.Errorf("active-profile = %q, want %q", f.ActiveProfile, tt.wantActive)
			}
			assertMode(t, loc.Path, 0o600)
			assertMode(t, filepath.Dir(loc.Path), 0o700)
		})
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", path, got, want)
	}
}

func TestUnset(t *testing.T) {
	tests := []struct {
		name       string
		profile    string
		key        string
		want       config.Profile
		wantStderr []string // facts the note on stderr names
		wantErr    string
	}{
		{name: "removes a key", key: "region", want: config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID}, wantStderr: []string{"Removed", "region", `"dev"`}},
		{name: "removes the secret", key: "client-secret", want: config.Profile{"client-id": "dev-client", "environment-id": envID, "region": "EU"}, wantStderr: []string{"Removed", "client-secret", `"dev"`}},
		{name: "not set", key: "key-id", want: config.Profile{"client-id": "dev-client", "client-secret": "dev-secret", "environment-id": envID, "region": "EU"}, wantStderr: []string{"key-id", "not set", `"dev"`}},
		{name: "unknown key", key: "nope", wantErr: `unknown key "nope"`},
		{name: "unknown profile", profile: "staging", key: "region", wantErr: `profile "staging" is not in `},
		{name: "unusable profile name", profile: "bad name", key: "region", wantErr: `"bad name"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, twoProfiles)
			loc.Profile = tt.profile
			ios, _, _, stderr := testStreams()
			err := unsetRun(&UnsetOptions{IO: ios, Location: loc, Key: tt.key})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.wantStderr) == 0 {
				t.Fatal("every case names the facts its note must carry")
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr = %q, want it to name %q", stderr, w)
				}
			}
			if strings.Contains(stderr.String(), "dev-secret") {
				t.Errorf("stderr = %q shows the secret", stderr)
			}
			wantProfile(t, readBack(t, loc).Profiles["dev"], tt.want)
		})
	}
}

func TestUse(t *testing.T) {
	loc := location(t, twoProfiles)
	ios, _, _, stderr := testStreams()
	if err := useRun(&UseOptions{IO: ios, Location: loc, Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	f := readBack(t, loc)
	if f.ActiveProfile != "prod" || len(f.Profiles) != 2 {
		t.Errorf("after use prod: %+v", f)
	}
	if !strings.Contains(stderr.String(), `"prod"`) {
		t.Errorf("stderr = %q, want it to name the profile made active", stderr)
	}

	loc.Profile, loc.ProfileFrom = "dev", config.EnvProfile
	stderr.Reset()
	if err := useRun(&UseOptions{IO: ios, Location: loc, Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "P1CTL_PROFILE=dev is set and takes precedence") {
		t.Errorf("stderr = %q, want a note about P1CTL_PROFILE", stderr)
	}

	err := useRun(&UseOptions{IO: ios, Location: loc, Name: "staging"})
	wantError(t, err, new(*config.Error), `"staging"`, loc.Path, "dev, prod", "p1ctl config init --profile staging")
	if readBack(t, loc).ActiveProfile != "prod" {
		t.Error("a failed use changed the active profile")
	}
	err = useRun(&UseOptions{IO: ios, Location: location(t, ""), Name: "x"})
	wantError(t, err, new(*config.Error), `profile "x" is not in `, "create it with p1ctl config init --profile x")
}

// A name p1ctl could not create is refused as such, with no advice to
// create it; one a hand-edited file holds can still be made active.
func TestUseProfileName(t *testing.T) {
	loc := location(t, twoProfiles+"  my prod: {}\n")
	loc.Profile, loc.ProfileFrom = "my prod", config.EnvProfile
	ios, _, _, stderr := testStreams()
	err := useRun(&UseOptions{IO: ios, Location: loc, Name: "bad name"})
	wantError(t, err, new(*config.Error), `"bad name"`, "64")
	if strings.Contains(err.Error(), "create it") {
		t.Errorf("error %q advises creating the profile", err)
	}
	if readBack(t, loc).ActiveProfile != "dev" {
		t.Error("a failed use changed the active profile")
	}

	if err := useRun(&UseOptions{IO: ios, Location: loc, Name: "prod"}); err != nil {
		t.Fatal(err)
	}
	if want := "Note: P1CTL_PROFILE='my prod' is set"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	if err := useRun(&UseOptions{IO: ios, Location: loc, Name: "my prod"}); err != nil {
		t.Fatal(err)
	}
	if got := readBack(t, loc).ActiveProfile; got != "my prod" {
		t.Errorf("active-profile = %q, want %q", got, "my prod")
	}
}

func TestList(t *testing.T) {
	tests := []struct {
		name       string
		existing   string
		profile    string
		output     output.Format
		want       string
		wantStderr string
		wantErr    string
	}{
		{name: "active marked", existing: twoProfiles, output: "table", want: "* dev\n  prod\n"},
		{name: "--profile marks its profile", existing: twoProfiles, profile: "prod", output: "table", want: "  dev\n* prod\n"},
		{name: "default is used without an active profile", existing: "profiles:\n  default: {}\n  x: {}\n", output: "table", want: "* default\n  x\n"},
		{name: "json", existing: twoProfiles, output: "json", want: "[\n  {\n    \"name\": \"dev\",\n    \"active\": true\n  },\n  {\n    \"name\": \"prod\",\n    \"active\": false\n  }\n]\n"},
		{name: "no file", output: "table", want: "", wantStderr: "No profiles in "},
		{name: "no file, json", output: "json", want: "[]\n"},
		{name: "broken file", existing: "nonsense: [", output: "table", wantErr: "cannot use config file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, tt.existing)
			loc.Profile = tt.profile
			ios, _, stdout, stderr := testStreams()
			err := listRun(&ListOptions{IO: ios, Location: loc, Output: export.Options{Format: tt.output}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if stdout.String() != tt.want {
				t.Errorf("stdout = %q, want %q", stdout, tt.want)
			}
			// No expected note means stderr stays quiet; otherwise it names the fact.
			if tt.wantStderr == "" && stderr.Len() != 0 || !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr = %q, want %q", stderr, tt.wantStderr)
			}
		})
	}
}

// withPasswords is a hand-edited profile, to follow twoProfiles, whose
// URLs and domain carry passwords.
const withPasswords = `  my urls:
    custom-domain: user:hunter2@auth.example.com
    auth-url: https://hunter2@auth.example.com
    token-url: https://user:hunter2secret@auth.example.com/as/token
    api-url: https://user:hun/ter2@api.example.com/v1
`

func TestView(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		from    string
		arg     string
		output  output.Format
		want    string
		wantErr string
	}{
		{name: "active profile, secret redacted", output: "table",
			want: "client-id       dev-client\nclient-secret   [REDACTED]\nenvironment-id  " + envID + "\nregion          EU\n"},
		{name: "named profile", arg: "prod", output: "table", want: "client-id           prod-client\nclient-secret-file  /run/secrets/p1\n"},
		{name: "--profile", profile: "prod", output: "table", want: "client-id           prod-client\nclient-secret-file  /run/secrets/p1\n"},
		{name: "json in key order", output: "json",
			want: "{\n  \"client-id\": \"dev-client\",\n  \"client-secret\": \"[REDACTED]\",\n  \"environment-id\": \"" + envID + "\",\n  \"region\": \"EU\"\n}\n"},
		{name: "yaml", output: "yaml",
			want: "client-id: dev-client\nclient-secret: '[REDACTED]'\nenvironment-id: " + envID + "\nregion: EU\n"},
		{name: "unknown profile", arg: "staging", output: "table", wantErr: `profile "staging" is not in `},
		{name: "unknown profile from P1CTL_PROFILE", profile: "nope", from: "P1CTL_PROFILE", output: "table", wantErr: `profile "nope" (from P1CTL_PROFILE) is not in `},
		{name: "unknown profile from --profile", profile: "nope", from: "--profile", output: "table", wantErr: `profile "nope" (from --profile) is not in `},
		{name: "unusable profile name", arg: "bad name", output: "table", wantErr: `"bad name"`},
		{name: "unusable profile name from --profile", profile: "a/b", from: "--profile", output: "table", wantErr: `profile name "a/b" is not usable`},
		{name: "a hand-edited profile name", arg: "my urls", output: "table",
			want: "custom-domain  [REDACTED]@auth.example.com\nauth-url       https://[REDACTED]@auth.example.com\ntoken-url      https://[REDACTED]@auth.example.com/as/token\napi-url        https://[REDACTED]@api.example.com/v1\n"},
		{name: "URLs with user info masked, json", arg: "my urls", output: "json",
			want: "{\n  \"custom-domain\": \"[REDACTED]@auth.example.com\",\n  \"auth-url\": \"https://[REDACTED]@auth.example.com\",\n  \"token-url\": \"https://[REDACTED]@auth.example.com/as/token\",\n  \"api-url\": \"https://[REDACTED]@api.example.com/v1\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := location(t, twoProfiles+withPasswords)
			loc.Profile, loc.ProfileFrom = tt.profile, tt.from
			ios, _, stdout, _ := testStreams()
			err := viewRun(&ViewOptions{IO: ios, Location: loc, Name: tt.arg, Output: export.Options{Format: tt.output}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if stdout.String() != tt.want {
				t.Errorf("stdout =\n%s\nwant\n%s", stdout, tt.want)
			}
			if strings.Contains(stdout.String(), "dev-secret") || strings.Contains(stdout.String(), "hunter2") {
				t.Error("the secret is shown")
			}
		})
	}
}

// root builds a command tree like p1ctl's: the global flags on the root,
// the config group under it.
func root(t *testing.T, capture func(any) error) *cobra.Command {
	t.Helper()
	ios, _, _, _ := testStreams()
	r := &cobra.Command{Use: "p1ctl", SilenceErrors: true, SilenceUsage: true}
	fs := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(fs)
	r.PersistentFlags().AddFlagSet(fs)
	r.AddCommand(NewCmdConfig(&cmdutil.Factory{IOStreams: ios}, capture))
	r.SetOut(&bytes.Buffer{})
	r.SetErr(&bytes.Buffer{})
	return r
}

func TestCommandLines(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	t.Setenv("HOME", xdg)
	defaultPath := filepath.Join(xdg, "p1ctl", "config.yaml")
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, opts any)
		wantErr string
	}{
		{name: "path, default", args: []string{"config", "path"}, check: func(t *testing.T, o any) {
			if got := o.(*PathOptions).Location; got != (Location{Path: defaultPath}) {
				t.Errorf("Location = %+v", got)
			}
		}},
		{name: "path, P1CTL_CONFIG", args: []string{"config", "path"}, env: map[string]string{"P1CTL_CONFIG": "/etc/p1.yaml", "P1CTL_PROFILE": "ci"}, check: func(t *testing.T, o any) {
			if got := o.(*PathOptions).Location; got != (Location{Path: "/etc/p1.yaml", Named: true, Profile: "ci", ProfileFrom: "P1CTL_PROFILE"}) {
				t.Errorf("Location = %+v", got)
			}
		}},
		{name: "--config and --profile beat the environment", args: []string{"--config", "x.yaml", "config", "set", "--profile", "p", "region", "EU"}, env: map[string]string{"P1CTL_CONFIG": "/etc/p1.yaml", "P1CTL_PROFILE": "ci"}, check: func(t *testing.T, o any) {
			opts := o.(*SetOptions)
			if opts.Location != (Location{Path: "x.yaml", Named: true, Profile: "p", ProfileFrom: "--profile"}) || opts.Key != "region" || opts.Value != "EU" {
				t.Errorf("options = %+v", opts)
			}
		}},
		{name: "init collects the global flags that were set", args: []string{"config", "init", "--region", "eu", "-e", envID, "--client-secret-file", "s.txt", "--client-secret-stdin"}, check: func(t *testing.T, o any) {
			opts := o.(*InitOptions)
			want := map[string]string{"region": "eu", "environment-id": envID, "client-secret-file": "s.txt"}
			if got := givenFlags(t, opts); !reflect.DeepEqual(got, want) || !opts.SecretStdin {
				t.Errorf("given = %v, SecretStdin = %v", got, opts.SecretStdin)
			}
		}},
		{name: "blank flags and variables count as unset", args: []string{"config", "init", "--region", "", "-e", " ", "--client-id", clientID, "--profile", " "}, env: map[string]string{"P1CTL_PROFILE": " \t"}, check: func(t *testing.T, o any) {
			opts := o.(*InitOptions)
			if got := givenFlags(t, opts); len(got) != 1 || got["client-id"] != clientID {
				t.Errorf("given = %v, want only client-id", got)
			}
			if opts.Location.Profile != "" || opts.Location.ProfileFrom != "" {
				t.Errorf("Location = %+v, want no profile named", opts.Location)
			}
		}},
		{name: "P1CTL_PROFILE is trimmed", args: []string{"config", "view"}, env: map[string]string{"P1CTL_PROFILE": " ci "}, check: func(t *testing.T, o any) {
			if loc := o.(*ViewOptions).Location; loc.Profile != "ci" || loc.ProfileFrom != "P1CTL_PROFILE" {
				t.Errorf("Location = %+v", loc)
			}
		}},
		{name: "view with an argument", args: []string{"config", "view", "prod", "-o", "yaml"}, check: func(t *testing.T, o any) {
			if opts := o.(*ViewOptions); opts.Name != "prod" || opts.Output.Format != "yaml" {
				t.Errorf("options = %+v", opts)
			}
		}},
		{name: "list -o json", args: []string{"config", "list", "-o", "json"}, check: func(t *testing.T, o any) {
			if opts := o.(*ListOptions); opts.Output.Format != "json" {
				t.Errorf("options = %+v", opts)
			}
		}},
		{name: "use", args: []string{"config", "use", "prod"}, check: func(t *testing.T, o any) {
			if opts := o.(*UseOptions); opts.Name != "prod" {
				t.Errorf("options = %+v", opts)
			}
		}},
		{name: "unset", args: []string{"config", "unset", "region"}, check: func(t *testing.T, o any) {
			if opts := o.(*UnsetOptions); opts.Key != "region" {
				t.Errorf("options = %+v", opts)
			}
		}},
		{name: "init --secret-store, any case", args: []string{"config", "init", "--secret-store", "KeyRing", "--timeout", "7s"}, check: func(t *testing.T, o any) {
			if opts := o.(*InitOptions); opts.SecretStore != "keyring" || opts.Keychain.Timeout != 7*time.Second {
				t.Errorf("SecretStore = %q, keychain timeout = %s; want keyring bounded by --timeout", opts.SecretStore, opts.Keychain.Timeout)
			}
		}},
		{name: "init --secret-store unknown", args: []string{"config", "init", "--secret-store", "vault"}, wantErr: "--secret-store"},
		{name: "use needs a profile", args: []string{"config", "use"}, wantErr: "accepts 1 arg(s), received 0"},
		{name: "set needs a value", args: []string{"config", "set", "region"}, wantErr: "accepts 2 arg(s), received 1"},
		{name: "path takes no arguments", args: []string{"config", "path", "x"}, wantErr: `unknown command "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("P1CTL_CONFIG", tt.env["P1CTL_CONFIG"])
			t.Setenv("P1CTL_PROFILE", tt.env["P1CTL_PROFILE"])
			var got any
			r := root(t, func(o any) error { got = o; return nil })
			r.SetArgs(tt.args)
			err := r.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestCompletion(t *testing.T) {
	loc := location(t, twoProfiles)
	t.Setenv("P1CTL_CONFIG", loc.Path)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "config", "use", ""}, "dev\nprod\n:4\n"},
		{[]string{"__complete", "config", "view", "p"}, "prod\n:4\n"},
		{[]string{"__complete", "config", "use", "dev", ""}, ":4\n"},
		{[]string{"__complete", "config", "set", "reg"}, "region\tPingOne region CODE: NA, EU, CA, AP, AU or SG\n:4\n"},
		{[]string{"__complete", "config", "set", "region", "a"}, "AP\tpingone.asia\nAU\tpingone.com.au\n:4\n"},
		{[]string{"__complete", "config", "set", "auth-method", "client_secret_p"}, "client_secret_post\n:4\n"},
		{[]string{"__complete", "config", "set", "client-secret-file", ""}, ":0\n"},
		{[]string{"__complete", "config", "unset", "client-secret-"}, "client-secret-file\tread the client secret from FILE (trailing newline trimmed)\nclient-secret-store\tkeep the profile's client secret in STORE: keyring (the OS keychain)\n:4\n"},
		{[]string{"__complete", "config", "set", "client-secret-store", ""}, "keyring\n:4\n"},
		{[]string{"__complete", "config", "view", "-o", ""}, "table\njson\nyaml\n:4\n"},
		{[]string{"__complete", "config", "list", "-o", "j"}, "json\n:4\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			r := root(t, nil)
			var out bytes.Buffer
			r.SetOut(&out)
			r.SetArgs(tt.args)
			if err := r.Execute(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("completions = %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	ios, _, stdout, _ := testStreams()
	if err := pathRun(&PathOptions{IO: ios, Location: Location{Path: "/x/config.yaml"}}); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "/x/config.yaml\n" {
		t.Errorf("stdout = %q", stdout)
	}
}

// givenFlags returns the settings config init reads from its flags, by key.
func givenFlags(t *testing.T, opts *InitOptions) map[string]string {
	t.Helper()
	l := config.Loader{Flags: opts.Flags, Getenv: func(string) string { return "" }}
	got := map[string]string{}
	for _, k := range config.Keys {
		v, src, err := l.Given(k)
		if err != nil {
			t.Fatal(err)
		}
		if src.Kind == config.FromFlag {
			got[k.Name] = v
		}
	}
	return got
}
