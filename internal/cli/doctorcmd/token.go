package doctorcmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// checkToken makes one fresh token request, bypassing the cache, so that
// what is checked is what PingOne says now.
func (d *doctor) checkToken(ctx context.Context) []Check {
	s := d.settings
	src, err := d.opts.TokenSource(cmdutil.TokenOptions{NoCache: true})
	if err != nil {
		return []Check{failFromError(CheckToken, err)}
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return []Check{d.tokenFailure(err)}
	}
	d.tokens, d.token = src, tok
	life := tok.ExpiresIn(d.now()).Truncate(time.Second)
	detail := fmt.Sprintf("%s token from %s (%s), valid for %s", tok.TokenType, netpolicy.Host(s.TokenURL), s.AuthMethod, life)
	if tok.Scope != "" {
		detail += ", scope " + tok.Scope
	}
	c := pass(CheckToken, detail)
	c.Data = map[string]any{
		"tokenURL":   s.TokenURL,
		"authMethod": s.AuthMethod,
		"tokenType":  tok.TokenType,
		"expiresIn":  int64(life / time.Second),
		"expiresAt":  tok.Expiry.UTC().Format(time.RFC3339),
	}
	if tok.Scope != "" {
		c.Data["scope"] = tok.Scope
	}
	return []Check{c}
}

// tokenFailure explains a failed token request with the checks PingOne's
// worker-app guide lists for it.
func (d *doctor) tokenFailure(err error) Check {
	s := d.settings
	env := d.environmentName()
	target := cmdutil.TargetFor(s, s.EnvironmentID, "the token request")
	var rej *auth.RejectedError
	if !errors.As(err, &rej) {
		return failFromError(CheckToken, cmdutil.WithTarget(err, target))
	}
	data := map[string]any{"tokenURL": s.TokenURL, "authMethod": s.AuthMethod, "status": rej.Status}
	if rej.Code != "" {
		data["error"] = rej.Code
	}
	var c Check
	switch {
	case rej.Status == http.StatusNotFound:
		c = fail(CheckToken, cmdutil.ExitNotFound,
			fmt.Sprintf("%s was not found at %s (%s)", env, netpolicy.Host(s.TokenURL), rej.Detail()),
			d.tokenNotFoundHint())
	case rej.Code == "invalid_client" && strings.Contains(strings.ToLower(rej.Description), "disabled"):
		c = fail(CheckToken, cmdutil.ExitAuth,
			fmt.Sprintf("application %s is disabled in %s (%s)", s.ClientID, env, rej.Detail()),
			"enable it in the admin console: Applications > the application > the enable toggle")
	case rej.KeyRefused() || (rej.ClientRejected() && rej.Code != "unauthorized_client" && rej.RegisteredMethod() == ""):
		credential := "secret pair"
		if s.AuthMethod == config.AuthPrivateKeyJWT {
			credential = "private key"
		}
		c = fail(CheckToken, cmdutil.ExitAuth,
			fmt.Sprintf("%s refused the client ID / %s (%s)", rej.Server(), credential, rej.Detail()),
			d.credentialHint())
	default:
		c = failFromError(CheckToken, cmdutil.WithTarget(err, target))
	}
	c.Data = data
	return c
}

// tokenNotFoundHint says what to check when the token endpoint does not
// know the environment: the environment ID if the token URL holds it, and
// the setting that decides the auth host.
func (d *doctor) tokenNotFoundHint() string {
	s := d.settings
	if s.EnvironmentID == "" || !strings.Contains(s.TokenURL, s.EnvironmentID) {
		return d.authHostHint()
	}
	return fmt.Sprintf("check PINGONE_ENVIRONMENT_ID / --environment-id (%s), and %s",
		sourceOf(s, config.KeyEnvironmentID), strings.TrimPrefix(d.authHostHint(), "check "))
}

// credentialHint lists the guide's checks for "Invalid client".
func (d *doctor) credentialHint() string {
	s := d.settings
	var cred string
	switch s.AuthMethod {
	case config.AuthPrivateKeyJWT:
		cred = "the private key (--private-key-file / PINGONE_PRIVATE_KEY_FILE) and key ID against the public key registered on the application"
	default:
		cred = fmt.Sprintf("the client secret (%s) against the application's current one", sourceOf(s, config.KeyClientSecret))
	}
	return fmt.Sprintf("check the client ID (%s) and %s; that application %s exists in %s and is enabled; and that its token endpoint authentication method is %s (--auth-method / PINGONE_AUTH_METHOD)",
		sourceOf(s, config.KeyClientID), cred, s.ClientID, d.environmentName(), strings.ToUpper(s.AuthMethod))
}

// sourceOf says where key's value came from, as "from ...".
func sourceOf(s *config.Settings, key string) string {
	if s.Values[key] == "" {
		return "not set"
	}
	return "from " + s.Sources[key].String()
}
