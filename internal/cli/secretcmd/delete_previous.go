package secretcmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// DeletePreviousOptions are the inputs of `secret delete-previous`.
type DeletePreviousOptions struct {
	IO        *iostreams.IOStreams
	Settings  func() (*config.Settings, error)
	APIClient func() (*api.Client, error)

	AppID  string
	Output export.Options
}

// DeletePreviousResult is what delete-previous reports.
type DeletePreviousResult struct {
	AppID           string `json:"appId"`
	EnvironmentID   string `json:"environmentId"`
	PreviousDeleted bool   `json:"previousDeleted"`
}

// NewCmdDeletePrevious returns `secret delete-previous`. runF replaces the
// run function in tests.
func NewCmdDeletePrevious(f *cmdutil.Factory, runF func(*DeletePreviousOptions) error) *cobra.Command {
	opts := &DeletePreviousOptions{IO: f.IOStreams, Settings: f.Settings, APIClient: f.APIClient}
	cmd := &cobra.Command{
		Use:   "delete-previous --app-id ID",
		Short: "End an application's previous client secret before its expiry",
		Long: `End the previous client secret of application --app-id (in the configured
environment) now, rather than when the --keep-previous of secret rotate
runs out: once every consumer uses the new secret, the old one should stop
working. Ending a previous secret that has already expired succeeds too.

p1ctl sends DELETE /v1/environments/{envId}/applications/{appId}/secret/previous;
the caller needs applications:delete:secret (docs/secrets.md says what of
this endpoint is confirmed).`,
		Example: `  p1ctl secret delete-previous --app-id "$APP_ID"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return deletePreviousRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.AppID, "app-id", "", "`ID` of the application")
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	return cmd
}

func deletePreviousRun(ctx context.Context, opts *DeletePreviousOptions) error {
	if err := checkAppID(opts.AppID); err != nil {
		return err
	}
	settings, envID, err := loadSettings(opts.Settings)
	if err != nil {
		return err
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	target := cmdutil.TargetFor(settings, envID, "ending the previous secret of application "+opts.AppID+" in environment "+envID)
	target.NotEnvironment = true
	target.ForbiddenHint = forbiddenHint("applications:delete:secret", opts.AppID)
	if err := client.DeletePreviousApplicationSecret(ctx, envID, opts.AppID); err != nil {
		return cmdutil.WithTarget(err, target)
	}
	res := &DeletePreviousResult{AppID: opts.AppID, EnvironmentID: envID, PreviousDeleted: true}
	if opts.Output.IsData() {
		return opts.Output.Write(ctx, opts.IO.Out, res)
	}
	return output.FieldTable(opts.IO.Out, []output.Field{
		{Name: "Application", Value: res.AppID},
		{Name: "Environment", Value: res.EnvironmentID},
		{Name: "Previous secret", Value: "ended"},
	})
}
