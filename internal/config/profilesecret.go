package config

import (
	"fmt"
	"time"

	"github.com/p1ctl/p1ctl/internal/keychain"
	"github.com/p1ctl/p1ctl/internal/securefile"
)

// ProfileSecret is where the selected profile keeps the client secret a
// command used: its OS keychain item, the file client-secret-file names,
// or client-secret in the config file.
type ProfileSecret struct {
	Profile    string
	ConfigFile string
	// SecretFile is the profile's client-secret-file, when it names one.
	SecretFile string
	// Keychain is set when the profile keeps the secret in the keychain.
	Keychain bool
}

// ProfileSecretOf returns where the profile keeps the client secret s
// holds, or a *Error when that secret does not come from the profile (a
// flag, an environment variable, standard input) and so must not be
// replaced there.
func ProfileSecretOf(s *Settings) (ProfileSecret, error) {
	src := s.Sources[KeyClientSecret]
	if src.Kind != FromProfile || s.ClientSecret == "" {
		from := src.String()
		if src.Kind == FromDefault {
			from = "nowhere (none is configured)"
		}
		return ProfileSecret{}, &Error{Key: KeyClientSecret, Problem: "the client secret comes from " + from + ", not from a config-file profile"}
	}
	p := ProfileSecret{Profile: s.Profile, ConfigFile: s.ConfigFile, Keychain: src.Keychain}
	if !src.Keychain && s.Values[KeyClientSecretFile] != "" && s.Sources[KeyClientSecretFile].Kind == FromProfile {
		p.SecretFile = s.Values[KeyClientSecretFile]
	}
	return p, nil
}

// String says where the secret is kept, for people.
func (p ProfileSecret) String() string {
	switch {
	case p.Keychain:
		return keychain.Describe(p.Profile)
	case p.SecretFile != "":
		return fmt.Sprintf("%s (client-secret-file of profile %q)", p.SecretFile, p.Profile)
	default:
		return fmt.Sprintf("profile %q in %s", p.Profile, p.ConfigFile)
	}
}

// Store replaces the secret where the profile keeps it. Files are written
// with mode 0600 through a temporary file renamed into place, so a failure
// leaves the old secret; a keychain call is bounded by timeout.
func (p ProfileSecret) Store(secret string, timeout time.Duration) error {
	switch {
	case p.Keychain:
		if err := (keychain.Store{Timeout: timeout}).Set(p.Profile, secret); err != nil {
			return KeychainError(p.Profile, err)
		}
		return nil
	case p.SecretFile != "":
		// The reader trims one trailing newline: keep the file cat-friendly.
		return securefile.Write(p.SecretFile, []byte(secret+"\n"))
	}
	file, err := ReadFile(p.ConfigFile)
	if err != nil {
		return err
	}
	profile, ok := file.Profiles[p.Profile]
	if !ok {
		return file.MissingProfile(p.Profile, "", p.ConfigFile)
	}
	profile[KeyClientSecret] = secret
	return file.Write(p.ConfigFile)
}
