// Package root assembles the p1ctl command tree.
package root

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/build"
	"github.com/p1ctl/p1ctl/internal/cli/apicmd"
	"github.com/p1ctl/p1ctl/internal/cli/auditcmd"
	"github.com/p1ctl/p1ctl/internal/cli/configcmd"
	"github.com/p1ctl/p1ctl/internal/cli/doctorcmd"
	"github.com/p1ctl/p1ctl/internal/cli/envcmd"
	"github.com/p1ctl/p1ctl/internal/cli/secretcmd"
	"github.com/p1ctl/p1ctl/internal/cli/tokencmd"
	"github.com/p1ctl/p1ctl/internal/cli/versioncmd"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
)

// NewCmdRoot returns the root command. globalFlags must be the flag set the
// factory's settings loader reads; it becomes the root's persistent flags.
func NewCmdRoot(f *cmdutil.Factory, globalFlags *pflag.FlagSet) *cobra.Command {
	info := build.Current()
	cmd := &cobra.Command{
		Use:   "p1ctl <command> [flags]",
		Short: "PingOne machine-to-machine access from the command line",
		Long: `p1ctl gets PingOne access tokens with the client-credentials grant and reads
PingOne environments, for operators, shell scripts and CI jobs.

Settings come from flags, then environment variables (PINGONE_CLIENT_ID,
PINGONE_CLIENT_SECRET, PINGONE_ENVIRONMENT_ID, PINGONE_REGION, ...), then the
active profile of the config file, then defaults. See "p1ctl help exit-codes"
for what each exit status means.`,
		Example: `  export PINGONE_CLIENT_ID=... PINGONE_CLIENT_SECRET=... PINGONE_ENVIRONMENT_ID=...
  curl -H "Authorization: Bearer $(p1ctl token get)" https://api.pingone.com/v1/environments/$PINGONE_ENVIRONMENT_ID
  p1ctl env read -o json`,
		// Cobra's default version output, "p1ctl version " + Version, is
		// plain Go; a version template would start text/template.
		Version:       versioncmd.Details(info),
		SilenceUsage:  true,
		SilenceErrors: true,
		// Cobra's own check of the first word prints its suggestions on
		// lines of their own; GroupArgs says it in one.
		Args: cmdutil.GroupArgs,
		RunE: cmdutil.GroupRunE,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			rt, err := f.Runtime()
			if err != nil && (offline(cmd) || reportsRuntime[topLevel(cmd)]) {
				// A bad P1CTL_TIMEOUT or P1CTL_DEBUG concerns the network:
				// it must not stop the commands that fix the configuration,
				// nor doctor, which reports it among its checks.
				rt, err = config.Runtime{Timeout: config.DefaultTimeout}, nil
			}
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if f.WatchSignals != nil {
				ctx = f.WatchSignals(ctx)
				// The root keeps the signal-aware context without the
				// deadline below: prompts that wait on a person use it.
				cmd.Root().SetContext(ctx)
			}
			// One deadline for all of a command's network work.
			ctx, cancel := context.WithTimeout(ctx, rt.Timeout)
			cobra.OnFinalize(cancel)
			cmd.SetContext(ctx)
			return nil
		},
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
	cmd.PersistentFlags().AddFlagSet(globalFlags)
	cmdutil.RegisterGlobalCompletions(cmd)

	cmd.AddCommand(tokencmd.NewCmdToken(f))
	cmd.AddCommand(envcmd.NewCmdEnv(f))
	cmd.AddCommand(configcmd.NewCmdConfig(f, nil))
	cmd.AddCommand(apicmd.NewCmdAPI(f, nil))
	cmd.AddCommand(auditcmd.NewCmdAudit(f, nil))
	cmd.AddCommand(secretcmd.NewCmdSecret(f))
	cmd.AddCommand(doctorcmd.NewCmdDoctor(f, nil))
	cmd.AddCommand(newExitCodesTopic())
	cmd.AddCommand(versioncmd.NewCmdVersion(f, nil))
	strictDefaultCommands(cmd)
	return cmd
}

// strictDefaultCommands adds Cobra's help and completion commands now,
// rather than when the root executes, and makes an unknown help topic or
// shell a usage error (exit 2), as an unknown subcommand of a group is,
// instead of printing help and exiting 0.
func strictDefaultCommands(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			c.Args = cmdutil.GroupArgs
			c.RunE = cmdutil.GroupRunE
		case "help":
			show := c.Run
			c.Run = nil
			c.RunE = func(c *cobra.Command, args []string) error {
				if topic, rest, err := c.Root().Find(args); err != nil || topic == nil || len(rest) > 0 {
					hint := ""
					if topic != nil && len(rest) > 0 {
						hint = cmdutil.DidYouMean(topic, rest[0])
					}
					return cmdutil.FlagErrorf("unknown help topic %q%s", strings.Join(args, " "), hint)
				}
				show(c, args)
				return nil
			}
		}
	}
}

// offlineCommands are the root's subcommands that never use the network,
// and so none of the runtime settings (timeout, retries, debug trace).
var offlineCommands = map[string]bool{
	"config":                        true,
	"completion":                    true,
	"help":                          true,
	"exit-codes":                    true,
	cobra.ShellCompRequestCmd:       true,
	cobra.ShellCompNoDescRequestCmd: true,
}

// reportsRuntime are the root's subcommands that report a bad runtime
// setting in their own output, and so run with the defaults.
var reportsRuntime = map[string]bool{
	"doctor": true,
}

// offline reports whether cmd belongs to one of offlineCommands, or is
// the root itself, which only shows its help.
func offline(cmd *cobra.Command) bool {
	name := topLevel(cmd)
	return name == "" || offlineCommands[name]
}

// topLevel returns the name of the root's subcommand that cmd belongs to,
// or "" for the root itself.
func topLevel(cmd *cobra.Command) string {
	for c := cmd; c.HasParent(); c = c.Parent() {
		if !c.Parent().HasParent() {
			return c.Name()
		}
	}
	return ""
}
