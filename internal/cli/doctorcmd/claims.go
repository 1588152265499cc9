package doctorcmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/jwtinfo"
)

// maxClockSkew is how far the token's iat may be from the local clock
// before doctor warns: JWT client assertions carry the local time.
const maxClockSkew = 2 * time.Minute

// checkClaims shows what the token says about whom it was issued to.
func (d *doctor) checkClaims(context.Context) []Check {
	s := d.settings
	tok, err := jwtinfo.Decode(d.token.AccessToken)
	if err != nil {
		reason := err.Error()
		var malformed *jwtinfo.MalformedError
		if errors.As(err, &malformed) {
			reason = malformed.Problem // its hint is about token inspect
		}
		return []Check{warn(CheckClaims, "the access token is not a JWT p1ctl can decode, so its claims cannot be shown ("+reason+")",
			"nothing to fix if the API calls below work: PingOne's own tokens are JWTs, so check the token URL points at PingOne")}
	}
	clientID, env, org := tok.ClientID, tok.Env, tok.Org
	if config.IsUUID(env) {
		// The later checks may read this environment.
		d.tokenEnv = env
	}
	scope := strings.Join(tok.Scopes, " ")
	aud := tok.Audience
	iat, hasIat := tok.IssuedAt, !tok.IssuedAt.IsZero()
	exp, hasExp := tok.Expiry, !tok.Expiry.IsZero()

	fields := []struct{ name, value string }{
		{"client_id", clientID},
		{"env", env},
		{"org", org},
		{"iss", tok.Issuer},
		{"aud", strings.Join(aud, " ")},
		{"scope", scope},
	}
	data := map[string]any{}
	var rows [][]string
	for _, f := range fields {
		if f.value != "" {
			data[f.name] = f.value
			rows = append(rows, []string{f.name, f.value})
		}
	}
	if len(aud) > 0 {
		data["aud"] = aud
	}
	now := d.now()
	if hasIat {
		data["iat"] = iat.UTC().Format(time.RFC3339)
		rows = append(rows, []string{"iat", data["iat"].(string)})
	}
	if hasExp {
		data["exp"] = exp.UTC().Format(time.RFC3339)
		rows = append(rows, []string{"exp", fmt.Sprintf("%s (in %s)", data["exp"], exp.Sub(now).Truncate(time.Second))})
	}

	detail := fmt.Sprintf("issued to client %s for environment %s", orNone(clientID), orNone(env))
	if org != "" {
		detail += " in organization " + org
	}
	if scope == "" {
		detail += ", no scopes"
	} else {
		detail += ", scopes " + scope
	}
	c := pass(CheckClaims, detail)
	var problems, hints []string
	switch {
	case clientID == "":
		problems = append(problems, "no client_id claim")
	case clientID != s.ClientID:
		problems = append(problems, fmt.Sprintf("the token is for client %s, not the configured %s", clientID, s.ClientID))
		hints = append(hints, "check --token-url / the auth URL points at this application's environment")
	}
	switch {
	case env == "":
		problems = append(problems, "no env claim: PingOne adds it when the token's audience is the management API")
		hints = append(hints, "the management API may refuse this token: check the token URL and scopes")
	case s.EnvironmentID != "" && !strings.EqualFold(env, s.EnvironmentID):
		problems = append(problems, fmt.Sprintf("the token is for environment %s, not the configured %s", env, s.EnvironmentID))
		hints = append(hints, "check PINGONE_ENVIRONMENT_ID and --token-url / --custom-domain")
	}
	if hasIat {
		if skew := iat.Sub(now); skew.Abs() > maxClockSkew {
			problems = append(problems, fmt.Sprintf("this machine's clock differs from PingOne's by about %s", skew.Abs().Round(time.Second)))
			hints = append(hints, "synchronise the system clock (NTP): signed client assertions and token expiry depend on it")
		}
	}
	if hasExp && !exp.After(now) {
		problems = append(problems, "the token has already expired by this machine's clock")
	}
	if len(problems) > 0 {
		c.Status = StatusWarn
		c.Detail += "; but " + strings.Join(problems, "; ")
		c.Hint = strings.Join(hints, "; ")
	}
	c.Data = data
	c.lines = tableLines(rows)
	return []Check{c}
}
