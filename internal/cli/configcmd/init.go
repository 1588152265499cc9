package configcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// InitOptions are the inputs of `config init`.
type InitOptions struct {
	IO       *iostreams.IOStreams
	Location Location
	// Getenv reads environment variables.
	Getenv func(string) string
	// Flags are the command's parsed flags, the global setting flags
	// among them; nil means none.
	Flags *pflag.FlagSet
	// SecretStdin is --client-secret-stdin.
	SecretStdin bool
	// SecretStore is --secret-store: "" or config.StoreKeyring.
	SecretStore string
	// Keychain keeps the secret of a profile whose store is the keyring.
	Keychain keychain.Store
}

// NewCmdInit returns `config init`. runF replaces the run function in tests.
func NewCmdInit(f *cmdutil.Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: f.IOStreams, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create or update a profile",
		Long: `Create the profile named by --profile (or P1CTL_PROFILE; default "default"),
or update it, keeping the config file's other profiles. When the file names
no active profile, the one written becomes active (unless a "default"
profile is already in use).

Settings given as flags (--region, --environment-id, --client-id,
--client-secret-file, --client-secret-stdin, and the other global setting
flags) or environment variables (PINGONE_REGION, PINGONE_ENVIRONMENT_ID,
PINGONE_CLIENT_ID, PINGONE_CLIENT_SECRET, ...) are stored in the profile.

On a terminal, p1ctl asks for the region, environment ID, client ID and
client secret that were not given that way; the secret is read without
echo. Pressing Enter keeps the profile's current value. Without a terminal
(a script, CI) p1ctl never asks: what is not given fails with exit status 2.

A secret given with --client-secret-file or PINGONE_CLIENT_SECRET_FILE is
stored as that file's path, not copied. The file is written with mode 0600
in a 0700 directory.

With --secret-store keyring the secret goes to the OS keychain (macOS
Keychain, Windows Credential Manager, Secret Service on Linux) under service
"p1ctl" and the profile's name; the file then holds only
client-secret-store: keyring. Where there is no keychain (CI, containers)
this fails with exit status 2: use a secret file or PINGONE_CLIENT_SECRET.`,
		Example: `  # Interactively
  p1ctl config init

  # In a script: everything from flags and the environment
  PINGONE_CLIENT_SECRET=... p1ctl config init --profile ci --region EU \
    --environment-id 3a1498e5-ac2c-4d1c-a88e-06ceb44623a0 --client-id 5b41efba-9307-4181-b0e2-c52a68e3b165

  # Keep the secret in a file
  p1ctl config init --profile prod --client-secret-file ~/.secrets/p1-prod

  # Keep the secret in the OS keychain
  p1ctl config init --profile prod --secret-store keyring`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := locate(cmd)
			if err != nil {
				return err
			}
			opts.Location = loc
			opts.Flags = cmd.Flags()
			if fl := cmd.Flags().Lookup(config.FlagSecretStdin); fl != nil && fl.Changed {
				opts.SecretStdin = fl.Value.String() == "true"
			}
			if opts.SecretStore != "" {
				v, err := config.CheckValue(config.KeyClientSecretStore, opts.SecretStore)
				if err != nil {
					return cmdutil.FlagErrorf("--secret-store: %v", err)
				}
				opts.SecretStore = v
			}
			if opts.Keychain, err = keychainStore(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return initRun(promptContext(cmd), opts)
		},
	}
	cmd.Flags().StringVar(&opts.SecretStore, "secret-store", "", "keep the client secret in `STORE`: keyring (the OS keychain) instead of the config file")
	return cmd
}

// given is a setting given on the command line or in the environment.
type given struct {
	value string
	src   config.Source
}

// from names where g came from as the user typed it: "--region" or
// "PINGONE_REGION".
func (g given) from() string {
	if g.src.Kind == config.FromFlag {
		return "--" + g.src.Name
	}
	return g.src.Name
}

func initRun(ctx context.Context, opts *InitOptions) error {
	name := opts.Location.Profile
	if name == "" {
		name = config.DefaultProfileName
	}
	if err := config.CheckProfileName(name); err != nil {
		return err
	}
	interactive := opts.IO.IsStdinTTY() && opts.IO.IsStdoutTTY()
	inputs, err := opts.inputs()
	if err != nil {
		return err
	}
	if opts.SecretStdin {
		if opts.IO.IsStdinTTY() {
			return &config.Error{Problem: "--client-secret-stdin needs the secret piped into p1ctl", Hint: "on a terminal, leave it out: p1ctl config init asks for the secret without echo"}
		}
		secret, err := readStdinSecret(opts.IO.In)
		if err != nil {
			return err
		}
		stdin := given{src: config.Source{Kind: config.FromFlag, Name: config.FlagSecretStdin}}
		if stdin.value, err = checkValue(config.KeyClientSecret, secret); err != nil {
			return withSource(err, stdin.from())
		}
		inputs[config.KeyClientSecret] = stdin
		delete(inputs, config.KeyClientSecretFile)
	}
	if file, ok := inputs[config.KeyClientSecretFile]; ok && opts.SecretStore == config.StoreKeyring {
		return &config.Error{
			Problem: fmt.Sprintf("--secret-store %s keeps the secret in the OS keychain, but a client secret file is given (%s)", config.StoreKeyring, file.from()),
			Hint:    "give the secret itself (--client-secret-stdin, PINGONE_CLIENT_SECRET or at the prompt), or leave out --secret-store",
		}
	}

	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	existing, updating := file.Profiles[name]
	profile := maps.Clone(existing)
	if profile == nil {
		profile = config.Profile{}
	}

	errOut := opts.IO.ErrOut
	for _, k := range config.Keys {
		in, ok := inputs[k.Name]
		if !ok {
			continue
		}
		note := setValue(profile, k.Name, in.value)
		fmt.Fprintf(errOut, "%s: %s (from %s)\n", k.Name, config.DisplayValue(k.Name, in.value), in.from())
		if note != "" {
			fmt.Fprintln(errOut, note)
		}
	}

	if interactive {
		// The dialogue goes to standard output, the terminal asked for.
		out := opts.IO.Out
		p := &prompter{ctx: ctx, in: opts.IO.In, out: out}
		if updating {
			fmt.Fprintf(out, "Updating profile %q in %s; press Enter to keep a value.\n", name, opts.Location.Path)
		} else {
			fmt.Fprintf(out, "Creating profile %q in %s.\n", name, opts.Location.Path)
		}
		if err := askMissing(p, profile, inputs); err != nil {
			return err
		}
	}

	toKeychain, dropKeychain, err := opts.placeSecret(name, existing, profile)
	if err != nil {
		return err
	}
	if missing := missingKeys(profile); len(missing) > 0 {
		return &config.Error{
			Problem: fmt.Sprintf("profile %q needs %s", name, joinAnd(missing)),
			Hint:    missingHint(missing),
		}
	}
	if err := checkProfile(profile); err != nil {
		return err
	}
	file.Profiles[name] = profile
	madeActive := false
	if file.ActiveProfile == "" {
		if _, ok := file.Profiles[config.DefaultProfileName]; ok && name != config.DefaultProfileName {
			// "default" was in use without being named: keep it in use.
			file.ActiveProfile = config.DefaultProfileName
		} else {
			file.ActiveProfile, madeActive = name, true
		}
	}
	// The keychain first: when it fails, the file still names the old
	// secret.
	if toKeychain != "" {
		if err := opts.Keychain.Set(name, toKeychain); err != nil {
			return config.KeychainError(name, err)
		}
		fmt.Fprintf(errOut, "Stored the client secret in the %s\n", keychain.Describe(name))
	}
	if err := writeFile(opts.Location, file); err != nil {
		return err
	}
	if dropKeychain {
		removeKeychainItem(errOut, opts.Keychain, name)
	}

	fmt.Fprintf(errOut, "Wrote profile %q to %s\n", name, opts.Location.Path)
	switch {
	case madeActive:
		fmt.Fprintf(errOut, "It is the active profile. Try it: p1ctl token get\n")
	case file.ActiveProfile == name:
		fmt.Fprintf(errOut, "Try it: p1ctl token get\n")
	default:
		fmt.Fprintf(errOut, "Try it: p1ctl token get --profile %s (or make it the active profile: p1ctl config use %s)\n", name, name)
	}
	return nil
}

// placeSecret moves a new client secret out of profile into the keychain
// when the secret's store is the keyring (--secret-store, or the profile's
// client-secret-store without a new secret file), and returns it. dropItem
// reports that a secret file replaces the keychain's item.
func (opts *InitOptions) placeSecret(name string, existing, profile config.Profile) (secret string, dropItem bool, err error) {
	wasKeyring := existing[config.KeyClientSecretStore] == config.StoreKeyring
	newFile := profile[config.KeyClientSecretFile] != "" && profile[config.KeyClientSecretFile] != existing[config.KeyClientSecretFile]
	if opts.SecretStore != config.StoreKeyring && (!wasKeyring || newFile) {
		if wasKeyring {
			delete(profile, config.KeyClientSecretStore)
		}
		return "", wasKeyring && newFile, nil
	}
	secret = profile[config.KeyClientSecret]
	if secret == "" && !wasKeyring {
		return "", false, &config.Error{
			Key:     config.KeyClientSecret,
			Problem: fmt.Sprintf("--secret-store %s needs the client secret to store in the keychain for profile %q", config.StoreKeyring, name),
			Hint:    "give it with --client-secret-stdin or PINGONE_CLIENT_SECRET, or on a terminal at the prompt",
		}
	}
	delete(profile, config.KeyClientSecret)
	delete(profile, config.KeyClientSecretFile)
	profile[config.KeyClientSecretStore] = config.StoreKeyring
	return secret, false, nil
}

// removeKeychainItem deletes profile's keychain item once nothing refers
// to it; failing to is worth a warning, not an error: the file is written.
func removeKeychainItem(errOut io.Writer, store keychain.Store, profile string) {
	switch err := store.Delete(profile); {
	case err == nil:
		fmt.Fprintf(errOut, "Removed the client secret from the %s\n", keychain.Describe(profile))
	case errors.Is(err, keychain.ErrNotFound):
	default:
		fmt.Fprintf(errOut, "Warning: %v\n", config.KeychainError(profile, err))
	}
}

// inputs collects the settings given as flags or environment variables,
// checked, and of region and root-domain, and of client-secret and
// client-secret-file, keeps the one that decides when p1ctl runs.
func (opts *InitOptions) inputs() (map[string]given, error) {
	loader := config.Loader{Flags: opts.Flags, Getenv: opts.Getenv}
	values, sources := map[string]string{}, map[string]config.Source{}
	for _, k := range config.Keys {
		v, src, err := loader.Given(k)
		if err != nil {
			return nil, err
		}
		if src.Kind == config.FromDefault {
			continue
		}
		if values[k.Name], err = checkValue(k.Name, v); err != nil {
			return nil, withSource(err, given{v, src}.from())
		}
		sources[k.Name] = src
	}
	for _, choose := range []func(map[string]string, map[string]config.Source) (string, error){config.ChooseRegion, config.ChooseSecret} {
		key, err := choose(values, sources)
		if err != nil {
			return nil, err
		}
		// The other spelling does not take effect when p1ctl runs.
		delete(values, config.OtherSpelling[key])
	}
	inputs := make(map[string]given, len(values))
	for key, v := range values {
		inputs[key] = given{v, sources[key]}
	}
	return inputs, nil
}

// setValue stores a value, keeping each setting that has two spellings in
// one place: the secret (client-secret or client-secret-file) and the
// region (region or root-domain). When it removes the other spelling it
// returns a note saying so, for standard error.
func setValue(profile config.Profile, key, value string) (note string) {
	profile[key] = value
	other := config.OtherSpelling[key]
	old, had := profile[other]
	if other == "" || !had {
		return ""
	}
	delete(profile, other)
	switch key {
	case config.KeyClientSecretFile:
		return "Removed the client-secret stored in the profile: the secret now comes from " + value
	case config.KeyClientSecret:
		return "Removed client-secret-file " + old + " from the profile: the profile now stores the secret"
	default:
		// The old value was never checked: the file may have been edited
		// by hand.
		return fmt.Sprintf("Removed %s %s from the profile: %s %s replaces it", other, config.DisplayValue(other, old), key, config.DisplayValue(key, value))
	}
}

// askMissing asks for the region, environment ID, client ID and secret
// (or private key file) that were not given as flags or variables.
func askMissing(p *prompter, profile config.Profile, inputs map[string]given) error {
	ask := func(key, question, def string, optional bool) error {
		if _, ok := inputs[key]; ok {
			return nil
		}
		v, err := p.ask(question, def, optional, func(s string) (string, error) { return checkValue(key, s) })
		if err != nil {
			return err
		}
		if v != "" {
			if note := setValue(profile, key, v); note != "" {
				fmt.Fprintln(p.out, note)
			}
		}
		return nil
	}
	// A region makes no sense next to an explicit auth host.
	if profile[config.KeyRootDomain] == "" && profile[config.KeyCustomDomain] == "" && profile[config.KeyAuthURL] == "" && profile[config.KeyTokenURL] == "" {
		region := profile[config.KeyRegion]
		if region == "" {
			region = config.DefaultRegion.Code
		}
		if err := ask(config.KeyRegion, "Region ("+strings.Join(config.RegionCodes(), ", ")+")", region, false); err != nil {
			return err
		}
	}
	if err := ask(config.KeyEnvironmentID, "Environment ID", profile[config.KeyEnvironmentID], !needsEnvironmentID(profile)); err != nil {
		return err
	}
	if err := ask(config.KeyClientID, "Client ID", profile[config.KeyClientID], false); err != nil {
		return err
	}
	if strings.EqualFold(profile[config.KeyAuthMethod], config.AuthPrivateKeyJWT) {
		return ask(config.KeyPrivateKeyFile, "Private key file (PEM)", profile[config.KeyPrivateKeyFile], false)
	}
	if _, ok := inputs[config.KeyClientSecret]; ok {
		return nil
	}
	if _, ok := inputs[config.KeyClientSecretFile]; ok {
		return nil
	}
	question := "Client secret (input hidden)"
	keep := profile[config.KeyClientSecret] != "" || profile[config.KeyClientSecretFile] != "" || profile[config.KeyClientSecretStore] != ""
	if keep {
		question = "Client secret (input hidden; Enter keeps the current one)"
	}
	secret, err := p.secret(question, keep, func(s string) (string, error) { return checkValue(config.KeyClientSecret, s) })
	if err != nil || secret == "" {
		return err
	}
	if note := setValue(profile, config.KeyClientSecret, secret); note != "" {
		fmt.Fprintln(p.out, note)
	}
	return nil
}

// needsEnvironmentID reports whether the token URL is built from the
// environment ID, i.e. no token URL or custom domain is configured.
func needsEnvironmentID(p config.Profile) bool {
	return p[config.KeyTokenURL] == "" && (p[config.KeyCustomDomain] == "" || p[config.KeyAuthURL] != "")
}

// missingKeys names what a profile still lacks to get a token.
func missingKeys(p config.Profile) []string {
	var missing []string
	if p[config.KeyClientID] == "" {
		missing = append(missing, config.KeyClientID)
	}
	if p[config.KeyEnvironmentID] == "" && needsEnvironmentID(p) {
		missing = append(missing, config.KeyEnvironmentID)
	}
	if strings.EqualFold(p[config.KeyAuthMethod], config.AuthPrivateKeyJWT) {
		if p[config.KeyPrivateKeyFile] == "" {
			missing = append(missing, config.KeyPrivateKeyFile)
		}
	} else if p[config.KeyClientSecret] == "" && p[config.KeyClientSecretFile] == "" && p[config.KeyClientSecretStore] == "" {
		missing = append(missing, "a client secret")
	}
	return missing
}

// missingInputs are the flags and environment variables that give each
// item missingKeys may name.
var missingInputs = map[string]struct{ flags, env string }{
	config.KeyClientID:       {"--client-id", "PINGONE_CLIENT_ID"},
	config.KeyEnvironmentID:  {"--environment-id", "PINGONE_ENVIRONMENT_ID"},
	config.KeyPrivateKeyFile: {"--private-key-file", "PINGONE_PRIVATE_KEY_FILE"},
	"a client secret":        {"--client-secret-file or --client-secret-stdin", "PINGONE_CLIENT_SECRET"},
}

// missingHint says how to give the missing items without a terminal.
func missingHint(missing []string) string {
	var flags, env []string
	for _, m := range missing {
		in := missingInputs[m]
		flags, env = append(flags, in.flags), append(env, in.env)
	}
	how := "them as flags (%s) or environment variables (%s)"
	if len(missing) == 1 {
		how = "it as a flag (%s) or an environment variable (%s)"
	}
	return "pass " + fmt.Sprintf(how, strings.Join(flags, ", "), strings.Join(env, ", ")) + ", or run p1ctl config init on a terminal to be asked"
}

// joinAnd joins names as in a sentence: "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// readStdinSecret reads --client-secret-stdin's secret as config.Loader
// does: up to 64 KiB, trailing newline trimmed.
func readStdinSecret(in io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(in, maxAnswerBytes))
	if err != nil {
		return "", &config.Error{Problem: "cannot read the client secret from standard input", Err: err}
	}
	secret := strings.TrimRight(string(data), "\r\n")
	if strings.TrimSpace(secret) == "" {
		return "", &config.Error{Problem: "--client-secret-stdin read an empty client secret", Hint: "pipe the secret into p1ctl, e.g. p1ctl config init --client-secret-stdin < secret.txt"}
	}
	return secret, nil
}

// withSource adds where a rejected value came from to its error.
func withSource(err error, from string) error {
	var cfgErr *config.Error
	if !errors.As(err, &cfgErr) {
		return err
	}
	e := *cfgErr
	e.Problem += " (from " + from + ")"
	return &e
}
