package cmdutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/config"
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
