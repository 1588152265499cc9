package configcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// SetOptions are the inputs of `config set`.
type SetOptions struct {
	IO       *iostreams.IOStreams
	Location Location

	Key   string
	Value string
	// Keychain receives the profile's secret for client-secret-store.
	Keychain keychain.Store
}

// NewCmdSet returns `config set`. runF replaces the run function in tests.
func NewCmdSet(f *cmdutil.Factory, runF func(*SetOptions) error) *cobra.Command {
	opts := &SetOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set a key in a profile",
		Long: `Set KEY to VALUE in the profile p1ctl uses (--profile, P1CTL_PROFILE, the
active profile or "default"), creating the profile if needed. Values are
checked as p1ctl checks them when it runs: environment IDs must be UUIDs,
regions and root domains known, URLs HTTPS (or HTTP on localhost), auth
methods known. File paths are stored as absolute paths. Setting region
removes root-domain, and the other way round; setting client-secret-file
removes a stored client-secret. Setting client-secret-store to keyring moves
a client-secret stored in the file into the OS keychain.

Keys: ` + keyNames(false) + `.

The client secret cannot be set here: a command line is visible to other
users of the machine. Type it with p1ctl config init on a terminal, or keep
it in a file (mode 0600) and set client-secret-file.`,
		Example: `  p1ctl config set region EU
  p1ctl config set environment-id 3a1498e5-ac2c-4d1c-a88e-06ceb44623a0 --profile prod
  p1ctl config set client-secret-file ~/.secrets/p1-prod
  p1ctl config set client-secret-store keyring --profile prod`,
		Args: cobra.ExactArgs(2),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			switch len(args) {
			case 0:
				return completeKeys(false, toComplete)
			case 1:
				return completeValue(cmd, args[0], toComplete)
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := locate(cmd)
			if err != nil {
				return err
			}
			opts.Location, opts.Key, opts.Value = loc, args[0], args[1]
			if opts.Keychain, err = keychainStore(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return setRun(opts)
		},
	}
}

func setRun(opts *SetOptions) error {
	if _, err := lookupKey(opts.Key); err != nil {
		return err
	}
	if opts.Key == config.KeyClientSecret {
		return &config.Error{
			Problem: "refusing to take the client secret from the command line, where other users of this machine can see it",
			Hint:    "type it without echo with p1ctl config init on a terminal (add --secret-store keyring to keep it in the OS keychain), or keep it in a file (mode 0600) and run p1ctl config set client-secret-file FILE",
		}
	}
	value, err := checkValue(opts.Key, opts.Value)
	if err != nil {
		return err
	}
	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	name, _ := selectedProfile(opts.Location, file)
	profile, exists := file.Profiles[name]
	if !exists {
		if err := config.CheckProfileName(name); err != nil {
			return err
		}
		profile = config.Profile{}
	}
	var notes []string
	if opts.Key == config.KeyClientSecretStore {
		note, err := moveToKeychain(opts.Keychain, name, profile)
		if err != nil {
			return err
		}
		notes = append(notes, note)
	}
	if note := setValue(profile, opts.Key, value); note != "" {
		notes = append(notes, note)
	}
	if opts.Key == config.KeyClientSecretFile || opts.Key == config.KeyPrivateKeyFile {
		if _, err := os.Stat(value); errors.Is(err, fs.ErrNotExist) {
			notes = append(notes, "Warning: "+value+" does not exist yet")
		}
	}
	if err := checkProfile(profile); err != nil {
		return err
	}
	file.Profiles[name] = profile
	if err := writeFile(opts.Location, file); err != nil {
		return err
	}
	if !exists {
		fmt.Fprintf(opts.IO.ErrOut, "Created profile %q in %s\n", name, opts.Location.Path)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Set %s to %s in profile %q\n", opts.Key, config.DisplayValue(opts.Key, value), name)
	for _, n := range notes {
		fmt.Fprintln(opts.IO.ErrOut, n)
	}
	return nil
}

// moveToKeychain stores profile's client-secret in the keychain and takes
// it out of the profile; a profile that reads its secret from a file is
// refused, as the file would stay behind.
func moveToKeychain(store keychain.Store, name string, profile config.Profile) (note string, err error) {
	if f := profile[config.KeyClientSecretFile]; f != "" {
		return "", &config.Error{
			Key:     config.KeyClientSecretStore,
			Problem: fmt.Sprintf("profile %q reads its client secret from %s", name, f),
			Hint:    "move it with: p1ctl config init --profile " + config.ShellQuote(name) + " --secret-store keyring --client-secret-stdin < " + config.ShellQuote(f) + ", then delete the file",
		}
	}
	secret := profile[config.KeyClientSecret]
	if secret == "" {
		if _, err := store.Get(name); err != nil {
			return "", config.KeychainError(name, err)
		}
		return "The client secret is already in the " + keychain.Describe(name), nil
	}
	if err := store.Set(name, secret); err != nil {
		return "", config.KeychainError(name, err)
	}
	delete(profile, config.KeyClientSecret)
	return "Moved the client secret from the profile to the " + keychain.Describe(name), nil
}

// lookupKey returns the config key named name, or a usage error listing
// the keys.
func lookupKey(name string) (config.Key, error) {
	k, ok := config.LookupKey(name)
	if !ok {
		return k, cmdutil.FlagErrorf("unknown key %q (valid: %s)", name, keyNames(true))
	}
	return k, nil
}

// keyNames lists the config keys, the client secret included or not.
func keyNames(withSecret bool) string {
	var names []string
	for _, k := range config.Keys {
		if k.Secret && !withSecret {
			continue
		}
		names = append(names, k.Name)
	}
	return strings.Join(names, ", ")
}

func completeKeys(withSecret bool, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, k := range config.Keys {
		if (k.Secret && !withSecret) || !strings.HasPrefix(k.Name, toComplete) {
			continue
		}
		out = append(out, cobra.CompletionWithDesc(k.Name, strings.ReplaceAll(k.Usage, "`", "")))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeValue completes the value of key where there is a fixed set,
// and file names for file keys.
func completeValue(cmd *cobra.Command, key, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch key {
	case config.KeyRegion:
		return cmdutil.CompleteRegions(cmd, nil, toComplete)
	case config.KeyRootDomain:
		return cmdutil.CompleteRootDomains(cmd, nil, toComplete)
	case config.KeyAuthMethod:
		return cmdutil.CompleteAuthMethods(cmd, nil, toComplete)
	case config.KeyClientSecretStore:
		return []cobra.Completion{config.StoreKeyring}, cobra.ShellCompDirectiveNoFileComp
	case config.KeyClientSecretFile, config.KeyPrivateKeyFile:
		return nil, cobra.ShellCompDirectiveDefault
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}
