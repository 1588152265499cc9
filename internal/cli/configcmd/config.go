// Package configcmd implements the `p1ctl config` commands, which read and
// write the config file. They need no credentials and never contact
// PingOne.
package configcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// NewCmdConfig returns the `config` command group.
func NewCmdConfig(f *cmdutil.Factory, runF func(any) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Manage the config file and its profiles",
		Args:  cobra.ArbitraryArgs,
		RunE:  cmdutil.GroupRunE,
		Long: `Create and change p1ctl's config file: named profiles of settings (client ID,
environment ID, region, ...), one of which is active.

The file is <user config dir>/p1ctl/config.yaml unless --config or
P1CTL_CONFIG names another; it is written with mode 0600 in a 0700
directory, since a profile may hold a client secret. These commands only
read and write that file: they need no credentials and never contact
PingOne. Flags and environment variables still take precedence over the
profile when other commands run.`,
		Example: `  p1ctl config init
  p1ctl config init --profile prod --region EU
  p1ctl config list
  p1ctl config use prod
  p1ctl config set region EU`,
	}
	cmd.AddCommand(NewCmdInit(f, runFor[*InitOptions](runF)))
	cmd.AddCommand(NewCmdList(f, runFor[*ListOptions](runF)))
	cmd.AddCommand(NewCmdView(f, runFor[*ViewOptions](runF)))
	cmd.AddCommand(NewCmdSet(f, runFor[*SetOptions](runF)))
	cmd.AddCommand(NewCmdUnset(f, runFor[*UnsetOptions](runF)))
	cmd.AddCommand(NewCmdUse(f, runFor[*UseOptions](runF)))
	cmd.AddCommand(NewCmdPath(f, runFor[*PathOptions](runF)))
	return cmd
}

// runFor adapts the group's test hook to one command's options type.
func runFor[T any](runF func(any) error) func(T) error {
	if runF == nil {
		return nil
	}
	return func(opts T) error { return runF(opts) }
}

// Location is where a config command reads and writes, and the profile
// the command line names.
type Location struct {
	// Path is the config file: --config, else P1CTL_CONFIG, else the
	// default path.
	Path string
	// Named reports whether Path came from --config or P1CTL_CONFIG.
	Named bool
	// Profile is the profile named by --profile, else P1CTL_PROFILE, or "".
	Profile string
	// ProfileFrom says where Profile came from: "--profile" or
	// "P1CTL_PROFILE".
	ProfileFrom string
}

// locate reads the root's --config and --profile flags and their
// environment variables, through config's one precedence rule.
func locate(cmd *cobra.Command) (Location, error) {
	path, named := config.FilePath(cmd.Flags())
	if path == "" {
		return Location{}, &config.Error{Problem: "cannot find the user config directory", Hint: "set --config or " + config.EnvConfig}
	}
	loc := Location{Path: path, Named: named}
	loc.Profile, loc.ProfileFrom = config.ChosenProfile(cmd.Flags())
	return loc, nil
}

// readFile reads the config file at loc. A file that does not exist reads
// as empty; exists says whether it did.
func readFile(loc Location) (file *config.File, exists bool, err error) {
	file, err = config.ReadFile(loc.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		file, err = &config.File{}, nil
	case errors.As(err, new(*config.Error)):
		// Refused as a file, with its own advice.
		return nil, false, err
	case err != nil:
		return nil, false, &config.Error{Problem: "cannot use config file " + loc.Path, Err: err, Hint: "fix the file or point --config / " + config.EnvConfig + " elsewhere"}
	default:
		exists = true
	}
	if file.Profiles == nil {
		file.Profiles = map[string]config.Profile{}
	}
	return file, exists, nil
}

// writeFile stores file at loc with mode 0600 in a 0700 directory.
func writeFile(loc Location, file *config.File) error {
	if err := file.Write(loc.Path); err != nil {
		return fmt.Errorf("writing the config file %s: %w", loc.Path, err)
	}
	return nil
}

// selectedProfile is the profile other commands would use: the one named
// on the command line, else the file's active profile, else "default".
// from says where the name came from ("--profile", "P1CTL_PROFILE",
// "active-profile in PATH"), "" for the default.
func selectedProfile(loc Location, file *config.File) (name, from string) {
	switch {
	case loc.Profile != "":
		return loc.Profile, loc.ProfileFrom
	case file.ActiveProfile != "":
		return file.ActiveProfile, "active-profile in " + loc.Path
	}
	return config.DefaultProfileName, ""
}

// unknownProfile is the error for a profile the file does not hold; from
// says where its name came from, "" when the command line's argument or
// the default named it.
func unknownProfile(loc Location, file *config.File, name, from string) error {
	return file.MissingProfile(name, from, loc.Path)
}

// promptContext is the context for reading answers from a person: the
// root command's, which Ctrl-C cancels, without the network deadline the
// root puts on each command.
func promptContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Root().Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// keychainStore returns the OS keychain, each call bounded by --timeout
// (P1CTL_TIMEOUT): a hung D-Bus call must not hang the command.
func keychainStore(cmd *cobra.Command) (keychain.Store, error) {
	rt, err := config.Loader{Flags: cmd.Flags()}.Runtime()
	if err != nil {
		return keychain.Store{}, err
	}
	return keychain.Store{Timeout: rt.Timeout}, nil
}
