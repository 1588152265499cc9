// Package versioncmd implements `p1ctl version`.
package versioncmd

import (
	"context"
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/build"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// VersionOptions are the inputs of `version`.
type VersionOptions struct {
	IO *iostreams.IOStreams
	// Info returns the build information to print.
	Info func() build.Info

	Output export.Options
}

// NewCmdVersion returns `version`. runF replaces the run function in tests.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, Info: build.Current}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Show p1ctl's version and build information",
		Long: `Show the version of p1ctl, the commit and date it was built from, the Go
version it was built with and the platform it runs on.

-o json prints the same as a JSON object, for programs and bug reports.
p1ctl --version prints it all on one line.

This command reads no configuration and makes no network requests.`,
		Example: `  p1ctl version
  p1ctl version -o json | jq -r .version
  p1ctl version --jq .version
  p1ctl --version`,
		Args: cobra.NoArgs,
		// Replaces the root's hook, which resolves runtime settings: the
		// version must print even when the environment is misconfigured.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	return cmd
}

func versionRun(opts *VersionOptions) error {
	info := opts.Info()
	if opts.Output.IsData() {
		// Local data: there is nothing to cancel.
		return opts.Output.Write(context.Background(), opts.IO.Out, info)
	}
	return output.FieldTable(opts.IO.Out, Fields(info))
}

// Fields lists info as name/value rows; empty values are left out when
// printed.
func Fields(info build.Info) []output.Field {
	return []output.Field{
		{Name: "Version", Value: info.Version},
		{Name: "Commit", Value: info.Commit},
		{Name: "Built", Value: info.Date},
		{Name: "Go version", Value: info.GoVersion},
		{Name: "Platform", Value: info.Platform},
	}
}

// Line is info on one line, as p1ctl --version prints it:
// "p1ctl version v1.2.3 (commit, date) go1.26.8 linux/amd64".
func Line(info build.Info) string {
	return "p1ctl version " + Details(info)
}

// Details is Line without its "p1ctl version " prefix: the version, the
// commit and date when known, the Go version and the platform.
func Details(info build.Info) string {
	details := info.Version
	if info.Commit != "" {
		details += " (" + info.Commit
		if info.Date != "" {
			details += ", " + info.Date
		}
		details += ")"
	}
	return details + " " + info.GoVersion + " " + info.Platform
}
