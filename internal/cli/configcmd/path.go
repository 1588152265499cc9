package configcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// PathOptions are the inputs of `config path`.
type PathOptions struct {
	IO       *iostreams.IOStreams
	Location Location
}

// NewCmdPath returns `config path`. runF replaces the run function in tests.
func NewCmdPath(f *cmdutil.Factory, runF func(*PathOptions) error) *cobra.Command {
	opts := &PathOptions{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "path",
		Short: "Print the config file's path",
		Long: `Print the path of the config file p1ctl uses: --config, else $P1CTL_CONFIG,
else <user config dir>/p1ctl/config.yaml. The file need not exist yet.`,
		Example: `  p1ctl config path
  $EDITOR "$(p1ctl config path)"`,
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
			return pathRun(opts)
		},
	}
}

func pathRun(opts *PathOptions) error {
	_, err := fmt.Fprintln(opts.IO.Out, opts.Location.Path)
	return err
}
