// Package tokencmd implements the `p1ctl token` commands.
package tokencmd

import (
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// NewCmdToken returns the `token` command group.
func NewCmdToken(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token <command>",
		Args:  cobra.ArbitraryArgs,
		RunE:  cmdutil.GroupRunE,
		Short: "Get access tokens for the worker application",
		Long:  "Get OAuth 2.0 access tokens from PingOne with the client-credentials grant.",
	}
	cmd.AddCommand(NewCmdGet(f, nil))
	cmd.AddCommand(NewCmdClear(f, nil))
	cmd.AddCommand(NewCmdInspect(f, nil))
	return cmd
}
