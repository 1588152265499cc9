package configcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// ListOptions are the inputs of `config list`.
type ListOptions struct {
	IO       *iostreams.IOStreams
	Location Location

	Output export.Options
}

// NewCmdList returns `config list`. runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the profiles in the config file",
		Long: `List the config file's profiles, one per line. The profile p1ctl uses is
marked with "*": the one named by --profile or P1CTL_PROFILE, else the
file's active profile, else "default".`,
		Example: `  p1ctl config list
  p1ctl config list -o json | jq -r '.[] | select(.active) | .name'
  p1ctl config list --jq '.[] | select(.active) | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := locate(cmd)
			if err != nil {
				return err
			}
			opts.Location = loc
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	return cmd
}

type listedProfile struct {
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

func listRun(opts *ListOptions) error {
	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	active, _ := selectedProfile(opts.Location, file)
	profiles := []listedProfile{}
	for _, name := range file.ProfileNames() {
		profiles = append(profiles, listedProfile{Name: name, Active: name == active})
	}
	if opts.Output.IsData() {
		// Local data: there is nothing to cancel.
		return opts.Output.Write(context.Background(), opts.IO.Out, profiles)
	}
	if len(profiles) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "No profiles in %s; create one with p1ctl config init\n", opts.Location.Path)
		return nil
	}
	for _, p := range profiles {
		mark := " "
		if p.Active {
			mark = "*"
		}
		if _, err := fmt.Fprintf(opts.IO.Out, "%s %s\n", mark, p.Name); err != nil {
			return err
		}
	}
	return nil
}
