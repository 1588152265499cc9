package cmdutil_test

import (
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// Token endpoints other than PingOne's (Hydra here): messages name the
// server rather than blaming PingOne.
func TestDescribeOtherTokenServers(t *testing.T) {
	const hydra = "https://hydra.example.com/oauth2/token"
	withHost := func(err error) error {
		return cmdutil.WithTarget(err, cmdutil.Target{Host: "hydra.example.com", Op: "the token request"})
	}
	tests := []struct {
		name    string
		err     error
		want    []string
		notWant []string
	}{
		{
			name:    "wrong secret",
			err:     withHost(&auth.RejectedError{TokenURL: hydra, Status: 401, Code: "invalid_client", Description: "Client authentication failed"}),
			want:    []string{"the token endpoint at hydra.example.com refused", "PINGONE_CLIENT_SECRET"},
			notWant: []string{"PingOne refused"},
		},
		{
			name:    "scopes",
			err:     withHost(&auth.RejectedError{TokenURL: hydra, Status: 400, Code: "invalid_scope"}),
			want:    []string{"the token endpoint at hydra.example.com refused", "--scope"},
			notWant: []string{"PingOne refused"},
		},
		{
			name:    "PingOne is still PingOne",
			err:     target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client"}),
			want:    []string{"PingOne refused"},
			notWant: []string{"the token endpoint at"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := cmdutil.Describe(tt.err)
			if code != cmdutil.ExitAuth {
				t.Errorf("code = %d, want %d (%s)", code, cmdutil.ExitAuth, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("message %q contains %q", msg, w)
				}
			}
		})
	}
}
