package cmdutil_test

import (
	"errors"
	"testing"

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
