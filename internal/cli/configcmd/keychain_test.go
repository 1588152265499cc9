package configcmd

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// TestMain puts go-keyring's in-memory backend in place of the OS
// keychain: no test may touch the developer's real one.
func TestMain(m *testing.M) {
	keyring.MockInit()
	os.Exit(m.Run())
}

// keychainItem returns the mock keychain's item for profile, "" if none.
func keychainItem(t *testing.T, profile string) string {
	t.Helper()
	v, err := keyring.Get(keychain.Service, profile)
	if errors.Is(err, keyring.ErrNotFound) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantNoSecret fails if secret appears in the config file or in out.
func wantNoSecret(t *testing.T, loc Location, secret string, out ...string) {
	t.Helper()
	data, err := os.ReadFile(loc.Path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret) {
		t.Errorf("the config file holds the secret:\n%s", data)
	}
	for _, o := range out {
		if strings.Contains(o, secret) {
			t.Errorf("output shows the secret: %q", o)
		}
	}
}

func TestInitSecretStoreKeyring(t *testing.T) {
	keyring.MockInit()
	ios, _, stdout, stderr := testStreams()
	loc := location(t, "")
	loc.Profile = "prod"
	err := initRun(context.Background(), &InitOptions{
		IO: ios, Location: loc, SecretStore: config.StoreKeyring,
		Getenv: func(k string) string { return map[string]string{"PINGONE_CLIENT_SECRET": "kc-s3cret-value"}[k] },
		Flags:  flagSet(t, map[string]string{"environment-id": envID, "client-id": clientID}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keychainItem(t, "prod"); got != "kc-s3cret-value" {
		t.Errorf("keychain item = %q, want the secret", got)
	}
	wantProfile(t, readBack(t, loc).Profiles["prod"], config.Profile{"environment-id": envID, "client-id": clientID, "client-secret-store": "keyring"})
	wantNoSecret(t, loc, "kc-s3cret-value", stdout.String(), stderr.String())
	if !strings.Contains(stderr.String(), keychain.Describe("prod")) {
		t.Errorf("stderr does not name the keychain item: %q", stderr)
	}

	// Updating the profile with a new secret keeps it in the keychain,
	// without --secret-store.
	ios, _, _, _ = testStreams()
	err = initRun(context.Background(), &InitOptions{
		IO: ios, Location: loc,
		Getenv: func(k string) string { return map[string]string{"PINGONE_CLIENT_SECRET": "kc-rotated"}[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keychainItem(t, "prod"); got != "kc-rotated" {
		t.Errorf("keychain item = %q after update, want the new secret", got)
	}
	wantNoSecret(t, loc, "kc-rotated")

	// A secret file given later replaces the keychain: the item goes too.
	ios, _, _, _ = testStreams()
	err = initRun(context.Background(), &InitOptions{IO: ios, Location: loc, Getenv: func(string) string { return "" }, Flags: flagSet(t, map[string]string{"client-secret-file": "/run/secrets/p1"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := keychainItem(t, "prod"); got != "" {
		t.Errorf("keychain item %q left behind after switching to a file", got)
	}
	if p := readBack(t, loc).Profiles["prod"]; p[config.KeyClientSecretStore] != "" || p[config.KeyClientSecretFile] != "/run/secrets/p1" {
		t.Errorf("profile = %v, want the file and no keychain reference", p)
	}
}

func TestInitSecretStoreKeyringRefusals(t *testing.T) {
	tests := []struct {
		name    string
		flags   map[string]string
		env     map[string]string
		backend error
		want    []string
	}{
		{"with a secret file", map[string]string{"client-secret-file": "/f"}, nil, nil, []string{"--secret-store keyring", "--client-secret-file"}},
		{"without a secret", nil, nil, nil, []string{"--secret-store keyring", "--client-secret-stdin", "PINGONE_CLIENT_SECRET"}},
		{"no keychain", nil, map[string]string{"PINGONE_CLIENT_SECRET": "kc-unstored"}, errors.New("no D-Bus session"), []string{"keychain", "client-secret-file", "PINGONE_CLIENT_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInit()
			if tt.backend != nil {
				keyring.MockInitWithError(tt.backend)
			}
			ios, _, _, stderr := testStreams()
			loc := location(t, twoProfiles)
			before, _ := os.ReadFile(loc.Path)
			flags := map[string]string{"environment-id": envID, "client-id": clientID}
			for k, v := range tt.flags {
				flags[k] = v
			}
			err := initRun(context.Background(), &InitOptions{
				IO: ios, Location: loc, SecretStore: config.StoreKeyring, Flags: flagSet(t, flags),
				Getenv: func(k string) string { return tt.env[k] },
			})
			wantError(t, err, new(*config.Error), tt.want...)
			if after, _ := os.ReadFile(loc.Path); string(after) != string(before) {
				t.Errorf("the config file changed:\n%s", after)
			}
			wantNoSecret(t, loc, "kc-unstored", err.Error(), stderr.String())
		})
	}
}

func TestSetSecretStoreMovesSecret(t *testing.T) {
	keyring.MockInit()
	ios, _, _, stderr := testStreams()
	loc := location(t, twoProfiles) // dev holds client-secret: dev-secret
	if err := setRun(&SetOptions{IO: ios, Location: loc, Key: config.KeyClientSecretStore, Value: "keyring"}); err != nil {
		t.Fatal(err)
	}
	if got := keychainItem(t, "dev"); got != "dev-secret" {
		t.Errorf("keychain item = %q, want the profile's former secret", got)
	}
	if p := readBack(t, loc).Profiles["dev"]; p[config.KeyClientSecret] != "" || p[config.KeyClientSecretStore] != "keyring" {
		t.Errorf("profile = %v, want the reference and no secret", p)
	}
	wantNoSecret(t, loc, "dev-secret", stderr.String())

	// A profile that reads a secret file is refused: the file would stay.
	loc.Profile = "prod"
	before, _ := os.ReadFile(loc.Path)
	err := setRun(&SetOptions{IO: ios, Location: loc, Key: config.KeyClientSecretStore, Value: "keyring"})
	wantError(t, err, new(*config.Error), "/run/secrets/p1", "--secret-store keyring")
	if after, _ := os.ReadFile(loc.Path); string(after) != string(before) {
		t.Errorf("the config file changed:\n%s", after)
	}
}

func TestUnsetRemovesKeychainItem(t *testing.T) {
	for _, key := range []string{config.KeyClientSecret, config.KeyClientSecretStore} {
		t.Run(key, func(t *testing.T) {
			keyring.MockInit()
			if err := keyring.Set(keychain.Service, "kc", "kc-secret"); err != nil {
				t.Fatal(err)
			}
			ios, _, _, _ := testStreams()
			loc := location(t, "profiles:\n  kc:\n    client-id: c\n    client-secret-store: keyring\n")
			loc.Profile = "kc"
			if err := unsetRun(&UnsetOptions{IO: ios, Location: loc, Key: key}); err != nil {
				t.Fatal(err)
			}
			if got := keychainItem(t, "kc"); got != "" {
				t.Errorf("keychain item %q left after unset %s", got, key)
			}
			if p := readBack(t, loc).Profiles["kc"]; p[config.KeyClientSecretStore] != "" {
				t.Errorf("profile = %v still refers to the keychain", p)
			}
		})
	}
}

// Without a keychain, unset fails with exit 2 and leaves the file as it
// was: the reference must not outlive a secret it can no longer find.
func TestUnsetKeychainUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("no D-Bus session"))
	t.Cleanup(keyring.MockInit)
	ios, _, _, _ := testStreams()
	loc := location(t, "profiles:\n  kc:\n    client-id: c\n    client-secret-store: keyring\n")
	loc.Profile = "kc"
	before, _ := os.ReadFile(loc.Path)
	err := unsetRun(&UnsetOptions{IO: ios, Location: loc, Key: config.KeyClientSecret})
	wantError(t, err, new(*config.Error), "keychain", "PINGONE_CLIENT_SECRET")
	if after, _ := os.ReadFile(loc.Path); string(after) != string(before) {
		t.Errorf("the config file changed:\n%s", after)
	}
}

// config view shows the file's reference, and standard error names the
// keychain item; the keychain itself is not read.
func TestViewNamesKeychainItem(t *testing.T) {
	keyring.MockInitWithError(errors.New("config view must not read the keychain"))
	t.Cleanup(keyring.MockInit)
	ios, _, stdout, stderr := testStreams()
	loc := location(t, "profiles:\n  kc:\n    client-id: c\n    client-secret-store: keyring\n")
	if err := viewRun(&ViewOptions{IO: ios, Location: loc, Name: "kc", Output: export.Options{Format: "table"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "client-secret-store") || !strings.Contains(stdout.String(), "keyring") {
		t.Errorf("stdout does not show the reference: %q", stdout)
	}
	if !strings.Contains(stderr.String(), keychain.Describe("kc")) {
		t.Errorf("stderr does not name the keychain item: %q", stderr)
	}
}

// On a terminal the typed secret goes to the keychain; updating the
// profile later, Enter keeps the item.
func TestInitInteractiveKeyring(t *testing.T) {
	keyring.MockInit()
	loc := location(t, "")
	ios, stdin, stdout, stderr := testStreams()
	ios.SetTTY(true, true)
	stdin.WriteString("EU\n" + envID + "\n" + clientID + "\nkc-typed-secret\n")
	if err := initRun(context.Background(), &InitOptions{IO: ios, Location: loc, SecretStore: config.StoreKeyring, Getenv: func(string) string { return "" }}); err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr)
	}
	if got := keychainItem(t, "default"); got != "kc-typed-secret" {
		t.Errorf("keychain item = %q, want the typed secret", got)
	}
	wantNoSecret(t, loc, "kc-typed-secret", stdout.String(), stderr.String())

	ios, stdin, stdout, _ = testStreams()
	ios.SetTTY(true, true)
	stdin.WriteString("\n\n\n\n")
	if err := initRun(context.Background(), &InitOptions{IO: ios, Location: loc, Getenv: func(string) string { return "" }}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "Enter keeps the current one") {
		t.Errorf("the secret prompt does not offer to keep the keychain's secret:\n%s", stdout)
	}
	if got := keychainItem(t, "default"); got != "kc-typed-secret" {
		t.Errorf("keychain item = %q after Enter, want it kept", got)
	}
	if p := readBack(t, loc).Profiles["default"]; p[config.KeyClientSecretStore] != config.StoreKeyring || p[config.KeyClientSecret] != "" {
		t.Errorf("profile = %v, want only the keychain reference", p)
	}
}

// Refusing the secret on the command line points to the keychain too.
func TestSetClientSecretRefusalNamesKeychain(t *testing.T) {
	ios, _, _, _ := testStreams()
	err := setRun(&SetOptions{IO: ios, Location: location(t, twoProfiles), Key: config.KeyClientSecret, Value: "kc-on-the-command-line"})
	wantError(t, err, new(*config.Error), "--secret-store keyring", "client-secret-file")
	if strings.Contains(err.Error(), "kc-on-the-command-line") {
		t.Error("the error repeats the secret")
	}
}
