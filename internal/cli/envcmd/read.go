package envcmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// ReadOptions are the inputs of `env read`.
type ReadOptions struct {
	IO        *iostreams.IOStreams
	Settings  func() (*config.Settings, error)
	APIClient func() (*api.Client, error)

	EnvironmentID string
	Output        export.Options
}

// NewCmdRead returns `env read`. runF replaces the run function in tests.
func NewCmdRead(f *cmdutil.Factory, runF func(*ReadOptions) error) *cobra.Command {
	opts := &ReadOptions{IO: f.IOStreams, Settings: f.Settings, APIClient: f.APIClient}
	cmd := &cobra.Command{
		Use:   "read [ENVIRONMENT_ID]",
		Short: "Show an environment",
		Long: `Show a PingOne environment: by default the configured one, which holds the
worker application; with an argument, another environment the application
has a role on.

The table leaves out empty fields. -o json prints the resource exactly as
PingOne returned it, including fields p1ctl does not know; -o yaml prints
the same data as YAML; --jq and --template see what -o json prints.`,
		Example: `  p1ctl env read
  p1ctl env read 3f1c5a4e-8d2b-4c7a-9e61-0b5d2f7a9c13 -o json
  p1ctl env read -o yaml --profile prod
  p1ctl env read --jq .name`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cmdutil.OptionalArg(args, "environment ID")
			if err != nil {
				return err
			}
			opts.EnvironmentID = id
			if runF != nil {
				return runF(opts)
			}
			return readRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	return cmd
}

func readRun(ctx context.Context, opts *ReadOptions) error {
	settings, err := opts.Settings()
	if err != nil {
		return err
	}
	id := opts.EnvironmentID
	if id == "" {
		id = settings.EnvironmentID
		if id == "" {
			return &config.Error{Key: config.KeyEnvironmentID, Problem: "no environment ID given or configured", Hint: "pass one as an argument, or set --environment-id or PINGONE_ENVIRONMENT_ID"}
		}
	} else if !config.IsUUID(id) {
		return cmdutil.FlagErrorf("environment ID %q is not a UUID", id)
	}
	if err := settings.CheckAPI(); err != nil {
		return err
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	env, err := client.GetEnvironment(ctx, id)
	if err != nil {
		return cmdutil.WithTarget(err, cmdutil.TargetFor(settings, id, "reading environment"))
	}
	if opts.Output.IsData() {
		return opts.Output.Write(ctx, opts.IO.Out, env.Raw)
	}
	return output.FieldTable(opts.IO.Out, Fields(env))
}

// Fields lists an environment's fields for the table view.
func Fields(env *api.Environment) []output.Field {
	var license, org string
	if env.License != nil {
		license = env.License.ID
		if env.License.Package != "" {
			license = fmt.Sprintf("%s (%s)", env.License.ID, env.License.Package)
		}
	}
	if env.Organization != nil {
		org = env.Organization.ID
	}
	return []output.Field{
		{Name: "ID", Value: env.ID},
		{Name: "Name", Value: env.Name},
		{Name: "Description", Value: env.Description},
		{Name: "Type", Value: env.Type},
		{Name: "Subtype", Value: env.Subtype},
		{Name: "Region", Value: env.Region},
		{Name: "Status", Value: env.Status},
		{Name: "License", Value: license},
		{Name: "Organization", Value: org},
		{Name: "Created", Value: env.CreatedAt},
		{Name: "Updated", Value: env.UpdatedAt},
	}
}
