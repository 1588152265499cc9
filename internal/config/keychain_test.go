package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// TestMain puts go-keyring's in-memory backend in place of the OS
// keychain: no test may read or write the developer's real one.
func TestMain(m *testing.M) {
	keyring.MockInit()
	os.Exit(m.Run())
}

// keyringProfile is a "default" profile that keeps its secret in the keychain.
var keyringProfile = map[string]string{
	config.KeyClientID:          "client",
	config.KeyEnvironmentID:     envIDProfile,
	config.KeyClientSecretStore: "keyring",
}

func TestLoadSecretFromKeychain(t *testing.T) {
	keyring.MockInit()
	isolateWithLayers(t, keyringProfile, nil)
	if err := keyring.Set(keychain.Service, "default", "from-the-keychain"); err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t)
	if s.ClientSecret != "from-the-keychain" {
		t.Errorf("ClientSecret = %q, want the keychain's item", s.ClientSecret)
	}
	src := s.Sources[config.KeyClientSecret]
	if src.Kind != config.FromProfile || !src.Keychain {
		t.Errorf("client-secret source = %#v, want the profile's keychain", src)
	}
	for _, want := range []string{"keychain", "service p1ctl", "profile default"} {
		if !strings.Contains(src.String(), want) {
			t.Errorf("source %q does not say %q", src, want)
		}
	}
}

// A secret from a higher layer wins, and the keychain is not even asked:
// a broken one must not stop a CI job that sets PINGONE_CLIENT_SECRET.
func TestLoadHigherLayerSkipsKeychain(t *testing.T) {
	keyring.MockInitWithError(errors.New("keychain must not be called"))
	t.Cleanup(keyring.MockInit)
	for name, env := range map[string]map[string]string{
		"secret variable":      {"PINGONE_CLIENT_SECRET": "env-secret"},
		"secret file variable": {"PINGONE_CLIENT_SECRET_FILE": writeFile(t, t.TempDir()+"/s", "file-secret\n", 0o600)},
		"private_key_jwt":      {"PINGONE_AUTH_METHOD": "private_key_jwt", "PINGONE_PRIVATE_KEY_FILE": "/keys/k.pem"},
	} {
		t.Run(name, func(t *testing.T) {
			isolateWithLayers(t, keyringProfile, env)
			s := mustLoad(t)
			if s.Sources[config.KeyClientSecret].Keychain {
				t.Errorf("client secret came from the keychain despite %v", env)
			}
		})
	}
}

func TestLoadKeychainUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("dial unix /run/user/0/bus: no such file"))
	t.Cleanup(keyring.MockInit)
	isolateWithLayers(t, keyringProfile, nil)
	_, err := load(t, nil)
	e := wantConfigError(t, err, "keychain", "client-secret-file", "PINGONE_CLIENT_SECRET")
	if e.Key != config.KeyClientSecretStore {
		t.Errorf("Key = %q, want %q", e.Key, config.KeyClientSecretStore)
	}
}

func TestLoadKeychainItemMissing(t *testing.T) {
	keyring.MockInit()
	isolateWithLayers(t, keyringProfile, nil)
	_, err := load(t, nil)
	e := wantConfigError(t, err, "profile default", "--secret-store keyring")
	if e.Key != config.KeyClientSecret {
		t.Errorf("Key = %q, want %q", e.Key, config.KeyClientSecret)
	}
}

// A profile cannot both refer to the keychain and hold a secret.
func TestLoadKeychainAndProfileSecretConflict(t *testing.T) {
	keyring.MockInit()
	for _, key := range []string{config.KeyClientSecret, config.KeyClientSecretFile} {
		t.Run(key, func(t *testing.T) {
			profile := map[string]string{key: "/some/value"}
			for k, v := range keyringProfile {
				profile[k] = v
			}
			isolateWithLayers(t, profile, nil)
			_, err := load(t, nil)
			wantConfigError(t, err, config.KeyClientSecretStore, key)
		})
	}
}

func TestCheckValueSecretStore(t *testing.T) {
	if v, err := config.CheckValue(config.KeyClientSecretStore, " KeyRing "); err != nil || v != config.StoreKeyring {
		t.Errorf("CheckValue(KeyRing) = %q, %v; want %q", v, err, config.StoreKeyring)
	}
	if _, err := config.CheckValue(config.KeyClientSecretStore, "vault"); err == nil {
		t.Error("CheckValue(vault) accepted an unknown store")
	}
}
