package configcmd

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/keychain"
	"github.com/p1ctl/p1ctl/internal/output"
)

// ViewOptions are the inputs of `config view`.
type ViewOptions struct {
	IO       *iostreams.IOStreams
	Location Location

	// Name is the profile to show; "" means the selected one.
	Name   string
	Output output.Format
}

// NewCmdView returns `config view`. runF replaces the run function in tests.
func NewCmdView(f *cmdutil.Factory, runF func(*ViewOptions) error) *cobra.Command {
	opts := &ViewOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "view [PROFILE]",
		Short: "Show a profile's settings",
		Long: `Show the keys and values a profile holds in the config file: by default the
profile p1ctl uses (--profile, P1CTL_PROFILE, the active profile or
"default"). A client secret is shown as [REDACTED]; for a profile that keeps
it in the OS keychain, standard error names the keychain item.

This is what the file says; when a command runs, flags and environment
variables take precedence over it.`,
		Example: `  p1ctl config view
  p1ctl config view prod -o yaml`,
		Args: cobra.MaximumNArgs(1),
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
			opts.Location = loc
			if opts.Name, err = cmdutil.OptionalArg(args, "profile name"); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return viewRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, output.FormatTable, output.FormatJSON, output.FormatYAML)
	return cmd
}

func viewRun(opts *ViewOptions) error {
	file, _, err := readFile(opts.Location)
	if err != nil {
		return err
	}
	name, from := opts.Name, ""
	if name == "" {
		name, from = selectedProfile(opts.Location, file)
	}
	profile, ok := file.Profiles[name]
	if !ok {
		return unknownProfile(opts.Location, file, name, from)
	}
	fields := profileFields(profile)
	if opts.Output != output.FormatTable {
		return output.Data(opts.IO.Out, opts.Output, orderedObject(fields))
	}
	if len(fields) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "Profile %q is empty\n", name)
		return nil
	}
	if err := output.FieldTable(opts.IO.Out, fields); err != nil {
		return err
	}
	// The file holds only the reference: say where the secret is.
	if profile[config.KeyClientSecretStore] == config.StoreKeyring {
		fmt.Fprintf(opts.IO.ErrOut, "The client secret is in the %s\n", keychain.Describe(name))
	}
	return nil
}

// profileFields lists a profile's keys in the order of config.Keys, as
// config.DisplayValue shows them: secrets masked, and the user info of URLs
// and domains too. The values are the file's, unchecked.
func profileFields(p config.Profile) []output.Field {
	var fields []output.Field
	for _, k := range config.Keys {
		v, ok := p[k.Name]
		if !ok {
			continue
		}
		fields = append(fields, output.Field{Name: k.Name, Value: config.DisplayValue(k.Name, v)})
	}
	return fields
}

// orderedObject encodes fields as a JSON object in their order.
func orderedObject(fields []output.Field) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		value, _ := json.Marshal(f.Value)
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes()
}
