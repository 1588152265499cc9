package config

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/keychain"
	"github.com/p1ctl/p1ctl/internal/securefile"
)

// Loader resolves one command's settings: Load the ones a command works
// with, Runtime those about how p1ctl runs. Both read each flag and
// variable once, through lookup, the one place precedence is decided.
type Loader struct {
	// Flags holds the command's parsed flags; nil means none.
	Flags *pflag.FlagSet
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Stdin is read when --client-secret-stdin is given.
	Stdin io.Reader
	// StdinIsTerminal reports whether Stdin is a terminal. Then
	// --client-secret-stdin is refused: a secret typed there would be
	// echoed, and p1ctl would wait without saying why.
	StdinIsTerminal bool
}

// profileLayer is the config-file profile a lookup falls back to.
type profileLayer struct {
	name, path string
	values     Profile
}

// Given returns k's value from the layers above the profile, and that
// layer: the flag, then p1ctl's variables, then other tools' variables
// (converted); Kind FromDefault when none gives one. A blank value counts
// as unset, so that --region "" or PINGONE_REGION=' ' lets the lower
// layers show through. lookup and config init both decide through it.
func (l Loader) Given(k Key) (string, Source, error) {
	if v, ok := l.flagValue(k.Flag); ok {
		return v, Source{Kind: FromFlag, Name: k.Flag}, nil
	}
	getenv := l.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	v, name, err := k.EnvValue(getenv)
	if err != nil || name == "" {
		return "", Source{Kind: FromDefault}, err
	}
	src := Source{Kind: FromEnv, Name: name}
	if name != k.Env[0] {
		src.AliasOf = k.Env[0]
	}
	return v, src, nil
}

// lookup returns k's value from the highest layer that gives it one, and
// that layer: Given's, then the profile; "" from the default when none
// does.
func (l Loader) lookup(k Key, p profileLayer) (string, Source, error) {
	if v, src, err := l.Given(k); err != nil || src.Kind != FromDefault {
		return v, src, err
	}
	if v := p.values[k.Name]; strings.TrimSpace(v) != "" {
		return v, Source{Kind: FromProfile, Name: p.name, File: p.path}, nil
	}
	return "", Source{Kind: FromDefault}, nil
}

// Load resolves and validates the settings. Every error it returns is a
// *Error.
func (l Loader) Load() (*Settings, error) {
	path, named := l.filePath()
	file, err := ReadFile(path)
	switch {
	case path == "" || errors.Is(err, fs.ErrNotExist) && !named:
		file = &File{}
	case errors.Is(err, fs.ErrNotExist):
		return nil, &Error{Problem: "config file " + path + " does not exist", Hint: "check --config and P1CTL_CONFIG, or create it with p1ctl config init"}
	case errors.As(err, new(*Error)):
		return nil, err
	case err != nil:
		return nil, &Error{Problem: "cannot use config file " + path, Err: err, Hint: "fix the file or point --config / P1CTL_CONFIG elsewhere"}
	}

	name, from := l.profileChoice()
	layer, err := selectProfile(file, path, name, from)
	if err != nil {
		return nil, err
	}
	s := &Settings{
		Profile:    layer.name,
		ConfigFile: path,
		Values:     make(map[string]string, len(Keys)),
		Sources:    make(map[string]Source, len(Keys)),
	}
	for _, k := range Keys {
		v, src, err := l.lookup(k, layer)
		if err != nil {
			return nil, err
		}
		s.Values[k.Name], s.Sources[k.Name] = strings.TrimSpace(v), src
	}
	if err := l.resolve(s); err != nil {
		return nil, err
	}
	if file.holdsSecret() {
		s.Warnings = append(s.Warnings, permissionWarning(path)...)
	}
	return s, nil
}

func (l Loader) lookupFlag(name string) *pflag.Flag {
	if l.Flags == nil || name == "" {
		return nil
	}
	return l.Flags.Lookup(name)
}

// flagValue returns the value of the flag called name and whether it was
// given. A flag given a blank value (--region "") counts as not given, as
// a blank environment variable does, so the lower layers show through.
func (l Loader) flagValue(name string) (string, bool) {
	f := l.lookupFlag(name)
	if f == nil || !f.Changed || strings.TrimSpace(f.Value.String()) == "" {
		return "", false
	}
	return f.Value.String(), true
}

// configFileKey and profileKey choose where settings come from, rather
// than being settings: they have no profile layer.
var (
	configFileKey = Key{Name: FlagConfig, Flag: FlagConfig, Env: []string{EnvConfig}}
	profileKey    = Key{Name: FlagProfile, Flag: FlagProfile, Env: []string{EnvProfile}}
)

// FilePath returns the config file that flags (may be nil) and the
// environment select: --config, else $P1CTL_CONFIG, else
// <user config dir>/p1ctl/config.yaml. named reports whether the user named
// it, rather than it being the default; a named file must exist. With no
// user config directory (a bare container) the default path is "". A blank
// flag or variable counts as unset.
func FilePath(flags *pflag.FlagSet) (path string, named bool) {
	return Loader{Flags: flags}.filePath()
}

func (l Loader) filePath() (string, bool) {
	if p, _, _ := l.lookup(configFileKey, profileLayer{}); p != "" {
		return p, true
	}
	p, err := DefaultPath()
	if err != nil {
		return "", false
	}
	return p, false
}

// ChosenProfile returns the profile flags (may be nil) and the environment
// name, "" when neither does, and where the name came from: "--profile"
// or "P1CTL_PROFILE".
func ChosenProfile(flags *pflag.FlagSet) (name, from string) {
	return Loader{Flags: flags}.profileChoice()
}

func (l Loader) profileChoice() (name, from string) {
	switch p, src, _ := l.lookup(profileKey, profileLayer{}); src.Kind {
	case FromFlag:
		return strings.TrimSpace(p), "--" + FlagProfile
	case FromEnv:
		return strings.TrimSpace(p), EnvProfile
	}
	return "", ""
}

// selectProfile returns the profile named (from says by what), else the
// file's active one, else "default" if the file holds it.
func selectProfile(file *File, path, name, from string) (profileLayer, error) {
	if name == "" && file.ActiveProfile != "" {
		name, from = file.ActiveProfile, "active-profile in "+path
	}
	if name == "" {
		if p, ok := file.Profiles[DefaultProfileName]; ok {
			return profileLayer{name: DefaultProfileName, path: path, values: p}, nil
		}
		return profileLayer{path: path}, nil
	}
	p, ok := file.Profiles[name]
	if !ok {
		return profileLayer{}, file.MissingProfile(name, from, path)
	}
	return profileLayer{name: name, path: path, values: p}, nil
}

// resolve validates the raw values in s.Values and fills in the typed and
// derived fields.
func (l Loader) resolve(s *Settings) error {
	val := s.Values
	for _, k := range Keys {
		if val[k.Name] == "" {
			continue
		}
		v, err := CheckValue(k.Name, val[k.Name])
		if err != nil {
			return &Error{Key: k.Name, Problem: err.Error() + s.Sources[k.Name].suffix()}
		}
		val[k.Name] = v
	}
	s.ClientID = val[KeyClientID]
	s.EnvironmentID = val[KeyEnvironmentID]

	if err := l.resolveRegion(s); err != nil {
		return err
	}
	if err := l.resolveURLs(s); err != nil {
		return err
	}

	s.AuthMethod = cmp.Or(val[KeyAuthMethod], AuthClientSecretBasic)
	s.PrivateKeyFile = val[KeyPrivateKeyFile]
	s.KeyID = val[KeyKeyID]

	return l.resolveSecret(s)
}

// ChooseRegion returns which of region and root-domain, two spellings of
// one setting, decides the region ("" when values sets neither); in the
// same layer they must agree. Both values must have passed CheckValue.
func ChooseRegion(values map[string]string, sources map[string]Source) (string, error) {
	byCode, _ := LookupRegion(values[KeyRegion])
	byDomain, _ := LookupRootDomain(values[KeyRootDomain])
	key, conflict := chooseSpelling(values, sources, KeyRegion, KeyRootDomain, byCode == byDomain)
	if conflict {
		return "", &Error{
			Problem: fmt.Sprintf("region %s (from %s) uses root domain %s, but root domain %s is set (from %s)",
				byCode.Code, sources[KeyRegion], byCode.RootDomain, byDomain.RootDomain, sources[KeyRootDomain]),
			Hint: "unset one of the two, or make them agree",
		}
	}
	return key, nil
}

// OtherSpelling pairs the keys that spell one setting two ways.
var OtherSpelling = map[string]string{
	KeyClientSecret:     KeyClientSecretFile,
	KeyClientSecretFile: KeyClientSecret,
	KeyRegion:           KeyRootDomain,
	KeyRootDomain:       KeyRegion,
}

// chooseSpelling returns which of a and b, two keys spelling one setting,
// decides: the one set in the higher layer, a when they are in the same
// one and agree; conflict when they are there and do not.
func chooseSpelling(values map[string]string, sources map[string]Source, a, b string, agree bool) (key string, conflict bool) {
	switch {
	case values[a] != "" && values[b] != "" && sources[a].Kind == sources[b].Kind:
		return a, !agree
	case values[a] != "" && (values[b] == "" || sources[a].Kind > sources[b].Kind):
		return a, false
	case values[b] != "":
		return b, false
	}
	return "", false
}

// resolveRegion sets the region from the key ChooseRegion picks, noting a
// disagreeing other spelling as ignored.
func (l Loader) resolveRegion(s *Settings) error {
	key, err := ChooseRegion(s.Values, s.Sources)
	if err != nil {
		return err
	}
	// CheckValue has already validated both.
	byCode, _ := LookupRegion(s.Values[KeyRegion])
	byDomain, _ := LookupRootDomain(s.Values[KeyRootDomain])
	s.Region, s.RegionFrom = map[string]Region{KeyRegion: byCode, KeyRootDomain: byDomain, "": DefaultRegion}[key], key
	if s.Values[KeyRegion] != "" && s.Values[KeyRootDomain] != "" && byCode != byDomain {
		s.ignore(OtherSpelling[key], key)
	}
	return nil
}

// resolveURLs builds the auth host, token URL and API base. Each host has
// ways of naming it from most to least specific (token-url, auth-url,
// custom-domain, the region for the token endpoint; api-url, the region
// for the API). The one from the highest layer decides, and within a layer
// the most specific; the region counts from the layer it came from, the
// default one from the lowest.
func (l Loader) resolveURLs(s *Settings) error {
	val := s.Values
	s.CustomDomain = val[KeyCustomDomain]
	regionRank := s.RegionSource().Kind

	// From the least specific to the most: each candidate takes over when
	// it is set in the same layer as the choice so far or a higher one.
	auth := hostChoice{key: KeyRegion, rank: regionRank}
	for _, key := range []string{KeyCustomDomain, KeyAuthURL} {
		auth = auth.consider(s, key)
	}
	token := auth.consider(s, KeyTokenURL)
	api := hostChoice{key: KeyRegion, rank: regionRank}.consider(s, KeyAPIURL)

	switch auth.key {
	case KeyAuthURL:
		s.AuthBaseURL = val[KeyAuthURL]
	case KeyCustomDomain:
		s.AuthBaseURL = "https://" + s.CustomDomain
	default:
		s.AuthBaseURL = s.Region.AuthBaseURL()
	}
	switch {
	case token.key == KeyTokenURL:
		s.TokenURL = val[KeyTokenURL]
	case auth.key == KeyCustomDomain:
		// A custom domain serves one environment: no ID in the path.
		s.TokenURL = s.AuthBaseURL + "/as/token"
	case s.EnvironmentID != "":
		s.TokenURL = s.AuthBaseURL + "/" + s.EnvironmentID + "/as/token"
	}
	s.TokenURLFrom = token.key
	if api.key == KeyAPIURL {
		s.APIURL = val[KeyAPIURL]
	} else {
		s.APIURL = s.Region.APIBaseURL()
	}
	s.APIURLFrom = api.key

	tokenBy := token.key
	if tokenBy == KeyRegion {
		tokenBy = s.RegionFrom
	}
	for _, key := range []string{KeyCustomDomain, KeyAuthURL, KeyTokenURL} {
		if val[key] != "" && key != token.key {
			s.ignore(key, tokenBy)
		}
	}
	if val[KeyAPIURL] != "" && api.key != KeyAPIURL {
		s.ignore(KeyAPIURL, s.RegionFrom)
	}
	return nil
}

// hostChoice is the setting that names a host so far, and its layer.
type hostChoice struct {
	key  string
	rank SourceKind
}

// consider returns the choice between c and key, a more specific way of
// naming the same host: key wins when it is set in c's layer or a higher
// one.
func (c hostChoice) consider(s *Settings, key string) hostChoice {
	if s.Values[key] == "" {
		return c
	}
	if rank := s.Sources[key].Kind; rank >= c.rank {
		return hostChoice{key: key, rank: rank}
	}
	return c
}

// ignore records that key's value does not take effect because of by's.
func (s *Settings) ignore(key, by string) {
	if s.Ignored == nil {
		s.Ignored = make(map[string]string)
	}
	s.Ignored[key] = by
}

// resolveSecret picks the client secret from --client-secret-stdin, or
// from client-secret or client-secret-file, whichever comes from the
// higher-precedence layer.
func (l Loader) resolveSecret(s *Settings) error {
	if stdin, _ := l.flagValue(FlagSecretStdin); stdin == "true" {
		if l.Stdin == nil {
			return &Error{Problem: "--client-secret-stdin given but there is no standard input"}
		}
		if l.StdinIsTerminal {
			return &Error{Problem: "--client-secret-stdin needs the secret piped into p1ctl", Hint: "a terminal would echo it: pipe it in, e.g. p1ctl token get --client-secret-stdin < secret.txt, or use --client-secret-file"}
		}
		data, err := io.ReadAll(io.LimitReader(l.Stdin, maxSecretSize))
		if err != nil {
			return &Error{Problem: "cannot read the client secret from standard input", Err: err}
		}
		s.ClientSecret = trimNewline(string(data))
		if s.ClientSecret == "" {
			return &Error{Problem: "--client-secret-stdin read an empty client secret", Hint: "pipe the secret into p1ctl, e.g. p1ctl token get --client-secret-stdin < secret.txt"}
		}
		s.Sources[KeyClientSecret] = Source{Kind: FromFlag, Name: FlagSecretStdin}
		s.Values[KeyClientSecret] = s.ClientSecret
		return nil
	}

	if err := l.secretFromKeychain(s); err != nil {
		return err
	}
	key, err := ChooseSecret(s.Values, s.Sources)
	if err != nil {
		return err
	}
	file, fileSrc := s.Values[KeyClientSecretFile], s.Sources[KeyClientSecretFile]
	if key != KeyClientSecretFile {
		s.ClientSecret = s.Values[KeyClientSecret]
		return nil
	}
	if !s.NeedsSecret() {
		// private_key_jwt: a secret file that cannot be read must not stop
		// a command that never sends the secret.
		return nil
	}
	// A FIFO (or process substitution) would block without regard to
	// --timeout, and /dev/zero never end: regular files only, pipes go to
	// --client-secret-stdin.
	data, _, err := securefile.ReadFile(file, maxSecretSize)
	var notRegular *securefile.NotRegularError
	var tooLarge *securefile.TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return &Error{Key: KeyClientSecretFile, Problem: "client secret file " + notRegular.Error() + fileSrc.suffix(), Hint: "pipe a secret in with --client-secret-stdin instead"}
	case errors.As(err, &tooLarge):
		return &Error{Key: KeyClientSecretFile, Problem: "client secret file " + tooLarge.Error() + fileSrc.suffix(), Hint: "check " + HowToSet(KeyClientSecretFile) + " names the secret's file"}
	case err != nil:
		return &Error{Key: KeyClientSecretFile, Problem: "cannot read the client secret file" + fileSrc.suffix(), Err: err}
	}
	s.ClientSecret = trimNewline(string(data))
	if s.ClientSecret == "" {
		return &Error{Key: KeyClientSecretFile, Problem: "client secret file " + file + fileSrc.suffix() + " is empty"}
	}
	s.Values[KeyClientSecret] = s.ClientSecret
	s.Sources[KeyClientSecret] = fileSrc
	s.Warnings = append(s.Warnings, permissionWarning(file)...)
	return nil
}

// ChooseSecret returns which of client-secret and client-secret-file
// decides the client secret ("" when values sets neither); both from the
// same layer is an error.
func ChooseSecret(values map[string]string, sources map[string]Source) (string, error) {
	key, conflict := chooseSpelling(values, sources, KeyClientSecret, KeyClientSecretFile, false)
	if conflict {
		return "", &Error{
			Problem: fmt.Sprintf("both a client secret (%s) and a client secret file (%s) are set", sources[KeyClientSecret], sources[KeyClientSecretFile]),
			Hint:    "set only one of them",
		}
	}
	return key, nil
}

// secretFromKeychain makes the OS keychain's item the profile's client
// secret when the profile says client-secret-store: keyring. The keychain
// is asked only when its answer is used: not when a flag or variable gives
// the secret or its file, nor for private_key_jwt.
func (l Loader) secretFromKeychain(s *Settings) error {
	if s.Values[KeyClientSecretStore] != StoreKeyring {
		return nil
	}
	inlineSrc, fileSrc := s.Sources[KeyClientSecret], s.Sources[KeyClientSecretFile]
	if inlineSrc.Kind == FromProfile || fileSrc.Kind == FromProfile {
		return &Error{
			Key:     KeyClientSecretStore,
			Problem: fmt.Sprintf("profile %q keeps its client secret in the OS keychain (%s) and also sets %s or %s", s.Profile, KeyClientSecretStore, KeyClientSecret, KeyClientSecretFile),
			Hint:    "keep only one of them in the profile",
		}
	}
	if inlineSrc.Kind > FromProfile || fileSrc.Kind > FromProfile || !s.NeedsSecret() {
		return nil
	}
	rt, err := l.Runtime()
	if err != nil {
		return err
	}
	secret, err := keychain.Store{Timeout: rt.Timeout}.Get(s.Profile)
	if err != nil {
		return KeychainError(s.Profile, err)
	}
	s.ClientSecret = secret
	s.Values[KeyClientSecret] = secret
	s.Sources[KeyClientSecret] = Source{Kind: FromProfile, Name: s.Profile, File: s.ConfigFile, Keychain: true}
	return nil
}

// KeychainError explains a failed keychain call for profile's secret
// as a *Error (exit 2): where there is no keychain it names the other
// ways to give the secret.
func KeychainError(profile string, err error) error {
	where := keychain.Describe(profile)
	var unavailable *keychain.UnavailableError
	var timeout *keychain.TimeoutError
	switch {
	case errors.Is(err, keychain.ErrNotFound):
		return &Error{Key: KeyClientSecret, Problem: "no client secret in the " + where, Hint: "store it with: p1ctl config init --profile " + ShellQuote(profile) + " --secret-store keyring"}
	case errors.As(err, &unavailable):
		return &Error{Key: KeyClientSecretStore, Problem: "cannot use the " + where, Err: unavailable.Err, Hint: noKeychainHint}
	case errors.As(err, &timeout):
		return &Error{Key: KeyClientSecretStore, Problem: timeout.Error() + " for the " + where, Hint: "unlock the keychain or raise --timeout (P1CTL_TIMEOUT); " + noKeychainHint}
	default:
		return &Error{Key: KeyClientSecretStore, Problem: "cannot use the " + where, Err: err}
	}
}

// noKeychainHint names the ways to give a secret without a keychain.
const noKeychainHint = "where there is no keychain (CI, containers without a D-Bus session and Secret Service), give the secret in a file (" + KeyClientSecretFile + ", --client-secret-file) or in PINGONE_CLIENT_SECRET"

// maxSecretSize bounds a client secret read from a file or standard input;
// PingOne's are under 100 bytes.
const maxSecretSize = 64 << 10

func trimNewline(s string) string { return strings.TrimRight(s, "\r\n") }

// permissionWarning warns when a file holding a secret can be read by
// group or others.
func permissionWarning(path string) []string {
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s holds a secret but is readable by group or others (mode %04o): run chmod 600 %s", path, info.Mode().Perm(), ShellQuote(path))}
}
