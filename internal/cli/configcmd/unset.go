package configcmd

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// UnsetOptions are the inputs of `config unset`.
type UnsetOptions struct {
	IO       *iostreams.IOStreams
	Location Location

	Key string
	// Keychain holds the secret of a profile whose store is the keyring.
	Keychain keychain.Store
}

// NewCmdUnset returns `config unset`. runF replaces the run function in
// tests.
func NewCmdUnset(f *cmdutil.Factory, runF func(*UnsetOptions) error) *cobra.Command {
	opts := &UnsetOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "unset KEY",
		Short: "Remove a key from a profile",
		Long: `Remove KEY from the profile p1ctl uses (--profile, P1CTL_PROFILE, the active
profile or "default"), so that its default applies again. Removing
client-secret deletes a stored secret, from the OS keychain too when the
profile keeps it there (client-secret-store: keyring); so does removing
client-secret-store.

Keys: ` + keyNames(true) + `.`,
		Example: `  p1ctl config unset root-domain
  p1ctl config unset client-secret --profile old`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeKeys(true, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := locate(cmd)
			if err != nil {
				return err
			}
			opts.Location, opts.Key = loc, args[0]
			if opts.Keychain, err = keychainStore(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return unsetRun(opts)
		},
	}
}

func unsetRun(opts *UnsetOptions) error {
	if _, err := lookupKey(opts.Key); err != nil {
		return err
	}
	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	name, from := selectedProfile(opts.Location, file)
	profile, ok := file.Profiles[name]
	if !ok {
		return unknownProfile(opts.Location, file, name, from)
	}
	// The keychain's item is the profile's secret: removing the secret or
	// the reference to it removes the item, before the file changes.
	inKeychain := profile[config.KeyClientSecretStore] == config.StoreKeyring &&
		(opts.Key == config.KeyClientSecret || opts.Key == config.KeyClientSecretStore)
	if _, ok := profile[opts.Key]; !ok && !inKeychain {
		fmt.Fprintf(opts.IO.ErrOut, "%s is not set in profile %q\n", opts.Key, name)
		return nil
	}
	if inKeychain {
		if err := opts.Keychain.Delete(name); err != nil && !errors.Is(err, keychain.ErrNotFound) {
			return config.KeychainError(name, err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "Removed the client secret from the %s\n", keychain.Describe(name))
		delete(profile, config.KeyClientSecretStore)
	}
	delete(profile, opts.Key)
	if err := writeFile(opts.Location, file); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Removed %s from profile %q\n", opts.Key, name)
	return nil
}
