package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
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

func TestAddJSONFlags(t *testing.T) {
	tests := []struct {
		args    string
		list    bool
		wantErr string // named in a usage error
		wantFmt output.Format
	}{
		{"", false, "", output.FormatTable},
		{"--jq .id", false, "", output.FormatJSON},
		{"-o ndjson --jq .id", true, "", export.FormatNDJSON},
		{"-o ndjson", false, "ndjson", ""},
		{"--jq .[", false, ".[", ""},
		{"--template {{.x", false, "--template", ""},
		{"--jq . --template x", false, "--template", ""},
		{"-o yaml --jq .", false, "yaml", ""},
	}
	for _, tt := range tests {
		var o export.Options
		ran := false
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { ran = true; return nil }}
		ios, _, _, _ := iostreams.Test()
		AddJSONFlags(cmd, ios, &o, tt.list, output.FormatTable)
		cmd.SetArgs(strings.Fields(tt.args))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if !strings.Contains(fmt.Sprint(err), tt.wantErr) || ran {
				t.Errorf("%q: error %v (ran %v), want one naming %q before running", tt.args, err, ran, tt.wantErr)
			}
			if strings.HasPrefix(tt.args, "--") {
				var fe *FlagError
				if !errors.As(err, &fe) {
					t.Errorf("%q: %T is not a usage error", tt.args, err)
				}
			}
			continue
		}
		if err != nil || o.Format != tt.wantFmt {
			t.Errorf("%q: error %v, format %q, want %q", tt.args, err, o.Format, tt.wantFmt)
		}
	}
}
