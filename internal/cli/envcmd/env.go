// Package envcmd implements the `p1ctl env` commands.
package envcmd

import (
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// NewCmdEnv returns the `env` command group.
func NewCmdEnv(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "env <command>",
		Args:    cobra.ArbitraryArgs,
		RunE:    cmdutil.GroupRunE,
		Aliases: []string{"environment"},
		Short:   "Read PingOne environments",
		Long:    "Read PingOne environments through the management API.",
	}
	cmd.AddCommand(NewCmdRead(f, nil))
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}
