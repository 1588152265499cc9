package cmdutil_test

import (
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
)

// Token endpoints other than PingOne's (Hydra here): messages name the
// server rather than blaming PingOne, and a private_key_jwt failure points
// at the key, not at a client secret.
func TestDescribeOtherTokenServers(t *testing.T) {
	const hydra = "https://hydra.example.com/oauth2/token"
	withHost := func(err error) error {
		return cmdutil.WithTarget(err, cmdutil.Target{Host: "hydra.example.com", Op: "the token request"})
	}
	tests := []struct {
		name    string
		err     error
		what    []string // facts of What
		hint    []string // facts of Hint
		setting string
		notWant []string
	}{
		{
			name:    "wrong secret",
			err:     withHost(&auth.RejectedError{TokenURL: hydra, Status: 401, Code: "invalid_client", Description: "Client authentication failed"}),
			what:    []string{"the token endpoint at hydra.example.com refused"},
			hint:    []string{"PINGONE_CLIENT_SECRET"},
			notWant: []string{"PingOne refused"},
		},
		{
			name:    "scopes",
			err:     withHost(&auth.RejectedError{TokenURL: hydra, Status: 400, Code: "invalid_scope"}),
			what:    []string{"the token endpoint at hydra.example.com refused"},
			hint:    []string{"--scope"},
			setting: "--scope",
			notWant: []string{"PingOne refused"},
		},
		{
			name: "unknown kid",
			err: withHost(&auth.RejectedError{TokenURL: hydra, Method: config.AuthPrivateKeyJWT, Status: 400, Code: "invalid_request",
				Description: "The JSON Web Token uses signing key with kid 'k9', which could not be found."}),
			what:    []string{"hydra.example.com"},
			hint:    []string{"--private-key-file", "--key-id", "JWKS", "algorithm"},
			notWant: []string{"PingOne refused", "CLIENT_SECRET", "client secret"},
		},
		{
			name: "algorithm",
			err: withHost(&auth.RejectedError{TokenURL: hydra, Method: config.AuthPrivateKeyJWT, Status: 401, Code: "invalid_client",
				Description: "The 'client_assertion' uses signing algorithm 'RS256' but the requested OAuth 2.0 Client enforces signing algorithm 'ES256'."}),
			hint:    []string{"--private-key-file", "--key-id", "algorithm"},
			notWant: []string{"CLIENT_SECRET"},
		},
		{
			name: "registered for another method",
			err: withHost(&auth.RejectedError{TokenURL: hydra, Status: 401, Code: "invalid_client",
				Description: "The OAuth 2.0 Client supports client authentication method 'private_key_jwt', but method 'client_secret_basic' was requested."}),
			what:    []string{"hydra.example.com", "client_secret_basic"},
			hint:    []string{"--auth-method", "registered for private_key_jwt"},
			setting: "--auth-method / PINGONE_AUTH_METHOD",
			notWant: []string{"PingOne refused", "PINGONE_CLIENT_SECRET"},
		},
		{
			name:    "PingOne is still PingOne",
			err:     target(&auth.RejectedError{TokenURL: tokenURL, Status: 401, Code: "invalid_client"}),
			what:    []string{"PingOne refused"},
			notWant: []string{"the token endpoint at"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := cmdutil.Describe(tt.err)
			msg := p.String()
			if p.Code != cmdutil.ExitAuth || p.Setting != tt.setting {
				t.Errorf("code %d, setting %q; want %d, %q (%s)", p.Code, p.Setting, cmdutil.ExitAuth, tt.setting, msg)
			}
			for _, w := range tt.what {
				if !strings.Contains(p.What, w) {
					t.Errorf("What %q lacks %q", p.What, w)
				}
			}
			for _, w := range tt.hint {
				if !strings.Contains(p.Hint, w) {
					t.Errorf("Hint %q lacks %q", p.Hint, w)
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
