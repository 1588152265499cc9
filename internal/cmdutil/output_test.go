package cmdutil

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/output"
)

func TestAddOutputFlag(t *testing.T) {
	tests := []struct {
		args    []string
		want    output.Format
		wantErr string
	}{
		{args: nil, want: output.FormatTable},
		{args: []string{"-o", "json"}, want: output.FormatJSON},
		{args: []string{"--output", " YAML "}, want: output.FormatYAML},
		{args: []string{"-o", "xml"}, wantErr: `invalid argument "xml" for "-o, --output" flag: valid formats are table, json or yaml`},
		{args: []string{"-o", "header"}, wantErr: "valid formats are table, json or yaml"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got output.Format
			cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
			AddOutputFlag(cmd, &got, output.FormatTable, output.FormatJSON, output.FormatYAML)
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("format = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAddOutputFlagHelpAndCompletion(t *testing.T) {
	var f output.Format
	cmd := &cobra.Command{Use: "x"}
	AddOutputFlag(cmd, &f, "token", "header", "json")
	flag := cmd.Flags().Lookup("output")
	if flag.Usage != "output format: token, header or json" || flag.DefValue != "token" || flag.Value.Type() != "format" {
		t.Errorf("usage %q, default %q, type %q", flag.Usage, flag.DefValue, flag.Value.Type())
	}
	complete, ok := cmd.GetFlagCompletionFunc("output")
	if !ok {
		t.Fatal("no completion for --output")
	}
	got, _ := complete(cmd, nil, "h")
	if !slices.Equal(got, []cobra.Completion{"header"}) {
		t.Errorf("completions for %q = %q, want [header]", "h", got)
	}
}
