package config

// Key describes one setting: its config-file key, the flag that sets it and
// the environment variables that set it, in the order they are consulted.
type Key struct {
	// Name is the key in a config-file profile, e.g. "client-id".
	Name string
	// Flag is the long flag name, or "" when the setting has no flag (the
	// client secret: a command line is visible to other users).
	Flag string
	// Env lists the environment variables, p1ctl's own name first and then
	// the names other PingOne tools use for the same value.
	Env []string
	// EnvAliases are other tools' variables for the setting that hold its
	// value in another shape; they are consulted after Env.
	EnvAliases []EnvAlias
	// Secret marks values that are never printed.
	Secret bool
	// Usage is the one-line help text.
	Usage string
}

// The config-file keys p1ctl knows.
const (
	KeyClientID         = "client-id"
	KeyClientSecret     = "client-secret"
	KeyClientSecretFile = "client-secret-file"
	// KeyClientSecretStore names where a profile's client secret is kept
	// instead of the file itself; only StoreKeyring so far.
	KeyClientSecretStore = "client-secret-store"
	KeyEnvironmentID     = "environment-id"
	KeyRegion            = "region"
	KeyRootDomain        = "root-domain"
	KeyCustomDomain      = "custom-domain"
	KeyAuthURL           = "auth-url"
	KeyTokenURL          = "token-url"
	KeyAPIURL            = "api-url"
	KeyAuthMethod        = "auth-method"
	KeyPrivateKeyFile    = "private-key-file"
	KeyKeyID             = "key-id"
)

// Keys lists every setting that can come from a flag, the environment or a
// config-file profile.
var Keys = []Key{
	{Name: KeyClientID, Flag: "client-id", Env: []string{"PINGONE_CLIENT_ID", "PINGONE_CLIENT_CREDENTIALS_CLIENT_ID"}, Usage: "worker application's client `ID`"},
	{Name: KeyClientSecret, Env: []string{"PINGONE_CLIENT_SECRET", "PINGONE_CLIENT_CREDENTIALS_CLIENT_SECRET"}, Secret: true, Usage: "worker application's client secret"},
	{Name: KeyClientSecretFile, Flag: "client-secret-file", Env: []string{"PINGONE_CLIENT_SECRET_FILE"}, Usage: "read the client secret from `FILE` (trailing newline trimmed)"},
	// Profile-only: where the profile's secret lives is the profile's business.
	{Name: KeyClientSecretStore, Usage: "keep the profile's client secret in `STORE`: keyring (the OS keychain)"},
	{Name: KeyEnvironmentID, Flag: "environment-id", Env: []string{"PINGONE_ENVIRONMENT_ID"}, Usage: "`ID` of the environment that holds the worker application"},
	{Name: KeyRegion, Flag: "region", Env: []string{"PINGONE_REGION", "PINGONE_REGION_CODE"}, Usage: "PingOne region `CODE`: NA, EU, CA, AP, AU or SG"},
	{Name: KeyRootDomain, Flag: "root-domain", Env: []string{"PINGONE_ROOT_DOMAIN"}, EnvAliases: []EnvAlias{{"PINGONE_TOP_LEVEL_DOMAIN", topLevelDomain}}, Usage: "PingOne root `DOMAIN`, e.g. pingone.eu (default pingone.com)"},
	{Name: KeyCustomDomain, Flag: "custom-domain", Env: []string{"PINGONE_CUSTOM_DOMAIN"}, Usage: "custom auth `DOMAIN`; the token URL becomes https://DOMAIN/as/token"},
	{Name: KeyAuthURL, Flag: "auth-url", Env: []string{"PINGONE_AUTH_URL"}, EnvAliases: []EnvAlias{{"PINGONE_AUTH_SERVICE_HOSTNAME", hostURL("", "auth.pingone.eu")}}, Usage: "auth base `URL`; the token URL becomes URL/ENVIRONMENT_ID/as/token"},
	{Name: KeyTokenURL, Flag: "token-url", Env: []string{"PINGONE_TOKEN_URL"}, Usage: "the whole token endpoint `URL`"},
	{Name: KeyAPIURL, Flag: "api-url", Env: []string{"PINGONE_API_URL"}, EnvAliases: []EnvAlias{{"PINGONE_API_DOMAIN", hostURL("/v1", "api.pingone.eu")}, {"PINGONE_API_SERVICE_HOSTNAME", hostURL("/v1", "api.pingone.eu")}}, Usage: "management API base `URL`, including /v1"},
	{Name: KeyAuthMethod, Flag: "auth-method", Env: []string{"PINGONE_AUTH_METHOD"}, Usage: "client authentication `METHOD`: client_secret_basic, client_secret_post, client_secret_jwt or private_key_jwt"},
	{Name: KeyPrivateKeyFile, Flag: "private-key-file", Env: []string{"PINGONE_PRIVATE_KEY_FILE"}, Usage: "PEM private key `FILE` for private_key_jwt"},
	{Name: KeyKeyID, Flag: "key-id", Env: []string{"PINGONE_KEY_ID"}, Usage: "key `ID` (kid) sent with private_key_jwt assertions"},
}

// LookupKey returns the Key named name.
func LookupKey(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Flags and environment variables that choose where settings come from,
// rather than being settings themselves.
const (
	FlagProfile        = "profile"
	FlagConfig         = "config"
	FlagSecretStdin    = "client-secret-stdin"
	EnvProfile         = "P1CTL_PROFILE"
	EnvConfig          = "P1CTL_CONFIG"
	DefaultProfileName = "default"
)

// StoreKeyring is the client-secret-store value that keeps a profile's
// client secret in the OS keychain.
const StoreKeyring = "keyring"
