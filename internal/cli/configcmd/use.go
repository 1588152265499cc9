package configcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// UseOptions are the inputs of `config use`.
type UseOptions struct {
	IO       *iostreams.IOStreams
	Location Location

	Name string
}

// NewCmdUse returns `config use`. runF replaces the run function in tests.
func NewCmdUse(f *cmdutil.Factory, runF func(*UseOptions) error) *cobra.Command {
	opts := &UseOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "use PROFILE",
		Short: "Make a profile the active one",
		Long: `Set the config file's active profile: the one p1ctl uses when neither
--profile nor P1CTL_PROFILE names one. The profile must exist.`,
		Example: `  p1ctl config use prod`,
		Args:    cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return cmdutil.CompleteProfiles(cmd, args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := locate(cmd)
			if err != nil {
				return err
			}
			opts.Location, opts.Name = loc, args[0]
			if runF != nil {
				return runF(opts)
			}
			return useRun(opts)
		},
	}
}

func useRun(opts *UseOptions) error {
	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	if _, ok := file.Profiles[opts.Name]; !ok {
		return unknownProfile(opts.Location, file, opts.Name, "")
	}
	file.ActiveProfile = opts.Name
	if err := writeFile(opts.Location, file); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Active profile is now %q\n", opts.Name)
	if opts.Location.ProfileFrom == config.EnvProfile && opts.Location.Profile != opts.Name {
		fmt.Fprintf(opts.IO.ErrOut, "Note: %s=%s is set and takes precedence over the active profile\n", config.EnvProfile, config.ShellQuote(opts.Location.Profile))
	}
	return nil
}
