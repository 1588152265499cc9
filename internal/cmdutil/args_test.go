package cmdutil_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

func TestOptionalArg(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{args: nil, want: ""},
		{args: []string{"abc"}, want: "abc"},
		{args: []string{" "}, want: " "},
		{args: []string{""}, wantErr: "the token argument is empty"},
	}
	for _, tt := range tests {
		got, err := cmdutil.OptionalArg(tt.args, "token")
		var flagErr *cmdutil.FlagError
		switch {
		case tt.wantErr != "" && (!errors.As(err, &flagErr) || err.Error() != tt.wantErr):
			t.Errorf("OptionalArg(%q) error = %v; want a FlagError %q", tt.args, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("OptionalArg(%q) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func TestGroupArgs(t *testing.T) {
	newTree := func() *cobra.Command {
		root := &cobra.Command{Use: "p1ctl"}
		for _, name := range []string{"token", "set", "env", "get", "config"} {
			root.AddCommand(&cobra.Command{Use: name, Run: func(*cobra.Command, []string) {}})
		}
		return root
	}
	tests := []struct {
		name     string
		word     string
		noSuggst bool
		want     []string
		notWant  []string
	}{
		{name: "near miss", word: "tokn", want: []string{`unknown command "tokn" for "p1ctl"`, `did you mean "token"?`, "(see p1ctl --help)"}},
		{name: "prefix", word: "con", want: []string{`did you mean "config"?`}},
		{name: "two near misses, in order", word: "xet", want: []string{`did you mean "get" or "set"?`}, notWant: []string{"token"}},
		{name: "nothing close", word: "nosuch", want: []string{`unknown command "nosuch" for "p1ctl" (see p1ctl --help)`}, notWant: []string{"did you mean"}},
		{name: "suggestions off", word: "tokn", noSuggst: true, notWant: []string{"did you mean"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newTree()
			root.DisableSuggestions = tt.noSuggst
			err := cmdutil.GroupArgs(root, []string{tt.word})
			p := cmdutil.Describe(err)
			code, msg := p.Code, p.String()
			if code != cmdutil.ExitUsage || strings.ContainsAny(msg, "\n\t") {
				t.Errorf("Describe = %d, %q; want exit %d on one line", code, msg, cmdutil.ExitUsage)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("message %q should not contain %q", msg, w)
				}
			}
		})
	}
	if err := cmdutil.GroupArgs(newTree(), nil); err != nil {
		t.Errorf("GroupArgs without arguments = %v", err)
	}
}
