package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

func TestProfileSecretStore(t *testing.T) {
	base := map[string]string{config.KeyClientID: "client", config.KeyEnvironmentID: envIDProfile}
	t.Run("keychain", func(t *testing.T) {
		keyring.MockInit()
		profile := map[string]string{config.KeyClientSecretStore: "keyring"}
		for k, v := range base {
			profile[k] = v
		}
		isolateWithLayers(t, profile, nil)
		if err := keyring.Set(keychain.Service, "default", "old"); err != nil {
			t.Fatal(err)
		}
		p, err := config.ProfileSecretOf(mustLoad(t))
		if err != nil || !p.Keychain {
			t.Fatalf("ProfileSecretOf = %+v, %v; want the keychain", p, err)
		}
		if err := p.Store("new-kc", 0); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t).ClientSecret; got != "new-kc" {
			t.Errorf("secret after Store = %q, want the new one", got)
		}
		if data, _ := os.ReadFile(os.Getenv(config.EnvConfig)); strings.Contains(string(data), "new-kc") {
			t.Errorf("the config file holds the secret:\n%s", data)
		}
	})
	t.Run("secret file", func(t *testing.T) {
		dir := t.TempDir()
		secretFile := writeFile(t, filepath.Join(dir, "secret"), "old\n", 0o600)
		profile := map[string]string{config.KeyClientSecretFile: secretFile}
		for k, v := range base {
			profile[k] = v
		}
		isolateWithLayers(t, profile, nil)
		p, err := config.ProfileSecretOf(mustLoad(t))
		if err != nil || p.SecretFile != secretFile {
			t.Fatalf("ProfileSecretOf = %+v, %v; want the secret file", p, err)
		}
		if err := p.Store("new-file", 0); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t).ClientSecret; got != "new-file" {
			t.Errorf("secret after Store = %q, want the new one", got)
		}
		if info, err := os.Stat(secretFile); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("secret file mode = %v, %v; want 0600", info.Mode().Perm(), err)
		}
	})
	t.Run("in the config file", func(t *testing.T) {
		profile := map[string]string{config.KeyClientSecret: "old"}
		for k, v := range base {
			profile[k] = v
		}
		isolateWithLayers(t, profile, nil)
		p, err := config.ProfileSecretOf(mustLoad(t))
		if err != nil || p.Keychain || p.SecretFile != "" {
			t.Fatalf("ProfileSecretOf = %+v, %v; want the config file", p, err)
		}
		if err := p.Store("new-inline", 0); err != nil {
			t.Fatal(err)
		}
		s := mustLoad(t)
		if s.ClientSecret != "new-inline" || s.ClientID != "client" {
			t.Errorf("after Store: secret %q, client ID %q; want the new secret and the rest kept", s.ClientSecret, s.ClientID)
		}
	})
}

// A secret from the environment is not the profile's to replace.
func TestProfileSecretOfRefusesOtherLayers(t *testing.T) {
	isolateWithLayers(t, map[string]string{config.KeyClientSecret: "profile-secret"}, map[string]string{"PINGONE_CLIENT_SECRET": "env-secret"})
	_, err := config.ProfileSecretOf(mustLoad(t))
	wantConfigError(t, err, "PINGONE_CLIENT_SECRET", "not from a config-file profile")
}
