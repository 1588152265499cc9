package doctor

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// maxClockSkew is how far the token's iat may be from the local clock
// before doctor warns: JWT client assertions carry the local time.
const maxClockSkew = 2 * time.Minute

// signatureAlgorithms are accepted when parsing the access token. Its
// signature is not verified (p1ctl has no reason to trust or distrust it;
// PingOne verifies it), so any algorithm is fine.
var signatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
	jose.EdDSA, jose.HS256, jose.HS384, jose.HS512,
}

// DecodeClaims returns the claims of a JWT without verifying its signature.
func DecodeClaims(token string) (map[string]any, error) {
	parsed, err := jwt.ParseSigned(token, signatureAlgorithms)
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	if err := parsed.UnsafeClaimsWithoutVerification(&claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// checkClaims shows what the token says about whom it was issued to.
func (d *doctor) checkClaims(context.Context) []Check {
	s := d.settings
	claims, err := DecodeClaims(d.token.AccessToken)
	if err != nil {
		return []Check{warn(CheckClaims, "the access token is not a JWT, so its claims cannot be shown ("+err.Error()+")",
			"nothing to fix if the API calls below work: PingOne's own tokens are JWTs, so check the token URL points at PingOne")}
	}
	clientID := claimString(claims, "client_id")
	env := claimString(claims, "env")
	org := claimString(claims, "org")
	scope := claimString(claims, "scope")
	aud := claimStrings(claims, "aud")
	iat, hasIat := claimTime(claims, "iat")
	exp, hasExp := claimTime(claims, "exp")

	fields := []struct{ name, value string }{
		{"client_id", clientID},
		{"env", env},
		{"org", org},
		{"iss", claimString(claims, "iss")},
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
	case !strings.EqualFold(env, s.EnvironmentID):
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

func claimString(claims map[string]any, name string) string {
	switch v := claims[name].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// claimStrings reads a claim that is a string or a list of strings, as
// "aud" may be.
func claimStrings(claims map[string]any, name string) []string {
	switch v := claims[name].(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

// claimTime reads a NumericDate claim.
func claimTime(claims map[string]any, name string) (time.Time, bool) {
	f, ok := claims[name].(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}
