package config

import (
	"fmt"
	"strings"

	"github.com/p1ctl/p1ctl/internal/keychain"
)

// SourceKind says which layer a setting's value came from.
type SourceKind int

// The layers, from lowest to highest precedence.
const (
	FromDefault SourceKind = iota
	FromProfile
	FromEnv
	FromFlag
)

// Source records where one setting's value came from.
type Source struct {
	Kind SourceKind
	// Name is the flag (without dashes), environment variable or profile name.
	Name string
	// File is the config file, for FromProfile.
	File string
	// AliasOf is p1ctl's own variable, for a value from another tool's
	// variable for the same setting.
	AliasOf string
	// Keychain marks a profile's value kept in the OS keychain, which
	// the profile only refers to (client-secret-store: keyring).
	Keychain bool
}

// String describes the source for people, e.g. "environment variable PINGONE_REGION".
func (s Source) String() string {
	switch {
	case s.Kind == FromFlag:
		return "flag --" + s.Name
	case s.Kind == FromEnv && s.AliasOf != "":
		return "environment variable " + s.Name + " (alias of " + s.AliasOf + ")"
	case s.Kind == FromEnv:
		return "environment variable " + s.Name
	case s.Kind == FromProfile && s.Keychain:
		return keychain.Describe(s.Name)
	case s.Kind == FromProfile:
		return fmt.Sprintf("profile %q in %s", s.Name, s.File)
	default:
		return "default"
	}
}

// suffix is " (from SOURCE)" for a value from the environment or a
// profile, to add to a message about the value; "" for a flag, which the
// user sees on the command line, and for the default.
func (s Source) suffix() string {
	if s.Kind != FromEnv && s.Kind != FromProfile {
		return ""
	}
	return " (from " + s.String() + ")"
}

// Client authentication methods at the token endpoint, as PingOne names
// them in lower case (RFC 7591's token_endpoint_auth_method values).
const (
	AuthClientSecretBasic = "client_secret_basic"
	AuthClientSecretPost  = "client_secret_post"
	AuthClientSecretJWT   = "client_secret_jwt"
	AuthPrivateKeyJWT     = "private_key_jwt"
)

// AuthMethods lists the accepted client authentication methods.
var AuthMethods = []string{AuthClientSecretBasic, AuthClientSecretPost, AuthClientSecretJWT, AuthPrivateKeyJWT}

// Settings is the resolved, validated configuration a command works with.
// Derived URLs are computed once here, so no other package knows how regions
// map to hosts.
type Settings struct {
	ClientID string
	// ClientSecret is never printed, logged or cached.
	ClientSecret  string
	EnvironmentID string
	Region        Region
	CustomDomain  string
	// AuthBaseURL is the auth host (custom domain or regional), without the
	// environment ID.
	AuthBaseURL string
	// TokenURL is the token endpoint; empty when it cannot be built because
	// no environment ID is configured.
	TokenURL string
	// APIURL is the management API base, including /v1.
	APIURL         string
	AuthMethod     string
	PrivateKeyFile string
	KeyID          string

	// Profile is the profile used ("" when the config file has none).
	Profile string
	// ConfigFile is the config file consulted, which may not exist.
	ConfigFile string
	// Values holds each key's resolved value, secrets included, for
	// display through Redacted.
	Values map[string]string
	// Sources records where each key's value came from.
	Sources map[string]Source
	// RegionFrom is the key that decided Region (KeyRegion or
	// KeyRootDomain), or "" when the default region is used.
	RegionFrom string
	// TokenURLFrom is the key that decided TokenURL: KeyTokenURL,
	// KeyAuthURL, KeyCustomDomain, or KeyRegion for the region's auth host.
	TokenURLFrom string
	// APIURLFrom is the key that decided APIURL: KeyAPIURL, or KeyRegion
	// for the region's API host.
	APIURLFrom string
	// Ignored maps each key that has a value but does not take effect to
	// the key that decided in its place: one from a higher layer, or a
	// more specific one from the same layer (token-url over auth-url over
	// custom-domain over the region).
	Ignored map[string]string
	// Warnings are problems worth telling the user about on stderr that do
	// not stop the command, such as a secret file readable by others.
	Warnings []string
}

// Redacted returns key's value for display, as DisplayValue shows it:
// secrets are "[REDACTED]".
func (s *Settings) Redacted(key string) string { return DisplayValue(key, s.Values[key]) }

// RegionSource is where the region came from: the source of RegionFrom,
// or the default.
func (s *Settings) RegionSource() Source {
	if s.RegionFrom == "" {
		return Source{Kind: FromDefault}
	}
	return s.Sources[s.RegionFrom]
}

// NeedsSecret reports whether the configured auth method uses the client secret.
func (s *Settings) NeedsSecret() bool { return s.AuthMethod != AuthPrivateKeyJWT }

// IssuerURL is the token issuer, under which PingOne serves jwks,
// .well-known/openid-configuration, revoke and introspect.
func (s *Settings) IssuerURL() string {
	if u, ok := strings.CutSuffix(s.TokenURL, "/token"); ok {
		return u
	}
	return ""
}

// CheckTokenRequest returns a *Error naming the first setting a token
// request still lacks.
func (s *Settings) CheckTokenRequest() error {
	if s.ClientID == "" {
		return &Error{Key: KeyClientID, Problem: "no client ID is configured"}
	}
	if s.TokenURL == "" {
		return &Error{Key: KeyEnvironmentID, Problem: "no environment ID is configured, so the token URL cannot be built"}
	}
	if s.NeedsSecret() && s.ClientSecret == "" {
		return &Error{Key: KeyClientSecret, Problem: "no client secret is configured", Hint: missingSecretHint()}
	}
	if s.AuthMethod == AuthPrivateKeyJWT && s.PrivateKeyFile == "" {
		return &Error{Key: KeyPrivateKeyFile, Problem: "auth method private_key_jwt needs a private key"}
	}
	return nil
}

// missingSecretHint names every way to give the client secret, as HowToSet
// does for one key, and the key-based auth method, which needs no secret.
func missingSecretHint() string {
	secret, _ := LookupKey(KeyClientSecret)
	file, _ := LookupKey(KeyClientSecretFile)
	method, _ := LookupKey(KeyAuthMethod)
	key, _ := LookupKey(KeyPrivateKeyFile)
	ways := []string{secret.Env[0], "--" + file.Flag, file.Env[0], "--" + FlagSecretStdin,
		fmt.Sprintf("%q / %q in the config profile", secret.Name, file.Name)}
	return fmt.Sprintf("set %s; or use key-based auth instead (--%s %s with --%s)", OrList(ways), method.Flag, AuthPrivateKeyJWT, key.Flag)
}

// CheckAPI returns a *Error if the management API cannot be called.
func (s *Settings) CheckAPI() error {
	if s.APIURL == "" {
		return &Error{Key: KeyAPIURL, Problem: "no API URL is configured"}
	}
	return s.CheckTokenRequest()
}
