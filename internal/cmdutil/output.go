package cmdutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// AddOutputFlag adds -o/--output to cmd, stored in p. formats lists the
// values it accepts, the first being the default; they make up the flag's
// help text and its shell completions, and any other value is refused
// when the flags are parsed, before the command does any work.
func AddOutputFlag(cmd *cobra.Command, p *output.Format, formats ...output.Format) {
	*p = formats[0]
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	cmd.Flags().VarP(&formatValue{p: p, names: names}, "output", "o", "output format: "+config.OrList(names))
	_ = cmd.RegisterFlagCompletionFunc("output", CompleteValues(names...))
}

// formatValue is the pflag.Value behind -o/--output.
type formatValue struct {
	p     *output.Format
	names []string // the formats accepted
}

func (v *formatValue) String() string { return string(*v.p) }

func (v *formatValue) Type() string { return "format" }

// Set accepts one of the formats, ignoring case and surrounding spaces.
func (v *formatValue) Set(s string) error {
	name := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(v.names, name) {
		*v.p = output.Format(name)
		return nil
	}
	return fmt.Errorf("valid formats are %s", config.OrList(v.names))
}

// AddJSONFlags declares that cmd can print a JSON document: it adds
// -o/--output with formats (the first the default) plus json and yaml,
// and ndjson when list is set (the command prints a list of items);
// --jq and --template; and checks and compiles them before the command
// runs, so that a bad expression or template is a usage error and costs
// nothing when not given. The command renders its document with
// o.Write, or o.List for a list, whenever o.IsData().
func AddJSONFlags(cmd *cobra.Command, ios *iostreams.IOStreams, o *export.Options, list bool, formats ...output.Format) {
	for _, f := range []output.Format{output.FormatJSON, output.FormatYAML} {
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	if list {
		formats = append(formats, export.FormatNDJSON)
	}
	AddOutputFlag(cmd, &o.Format, formats...)
	AddFilterFlags(cmd, ios, o)
}

// AddFilterFlags adds --jq and --template to a command whose -o (if any)
// is stored in o.Format, and checks and compiles them before it runs.
// AddJSONFlags uses it; `api`, whose output is the body as received,
// uses it alone.
func AddFilterFlags(cmd *cobra.Command, ios *iostreams.IOStreams, o *export.Options) {
	cmd.Flags().StringVar(&o.JQ, "jq", "", "filter the JSON output with a jq `EXPRESSION`")
	cmd.Flags().StringVar(&o.Template, "template", "", "format the JSON output with a Go `TEMPLATE`")
	o.Color = ios.ColorEnabled
	pre := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if err := o.Compile(c.Flags().Changed("output")); err != nil {
			return &FlagError{Err: err}
		}
		if pre != nil {
			return pre(c, args)
		}
		return nil
	}
}
