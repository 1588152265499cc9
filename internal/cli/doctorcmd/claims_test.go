package doctorcmd

import (
	"strings"
	"testing"
	"time"
)

func TestCheckClaimsWarnings(t *testing.T) {
	tests := []struct {
		name   string
		change func(map[string]any)
		want   Status
		detail string
	}{
		{name: "good", change: func(map[string]any) {}, want: StatusPass},
		{name: "no client_id", change: func(c map[string]any) { delete(c, "client_id") }, want: StatusWarn, detail: "no client_id claim"},
		{name: "no env", change: func(c map[string]any) { delete(c, "env") }, want: StatusWarn, detail: "no env claim"},
		{name: "env in other case", change: func(c map[string]any) { c["env"] = "3A1498E5-AC2C-4D1C-A88E-06CEB44623A0" }, want: StatusPass},
		{name: "expired", change: func(c map[string]any) { c["exp"] = testNow.Add(-time.Second).Unix() }, want: StatusWarn, detail: "already expired"},
		{name: "scopes", change: func(c map[string]any) { c["scope"] = "p1ctl:read" }, want: StatusPass, detail: "scopes p1ctl:read"},
		{name: "scp list", change: func(c map[string]any) { c["scp"] = []string{"p1ctl:read", "p1ctl:write"} }, want: StatusPass, detail: "scopes p1ctl:read p1ctl:write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := goodClaims()
			tt.change(claims)
			fx := newFixture(t)
			opts, _ := fx.options()
			d := &doctor{opts: opts, settings: testSettings()}
			d.token = fx.tokens.tok
			d.token.AccessToken = signJWT(t, claims)
			c := d.checkClaims(t.Context())[0]
			if c.Status != tt.want {
				t.Errorf("status %s, want %s (%s)", c.Status, tt.want, c.Detail)
			}
			if tt.detail != "" && !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", c.Detail, tt.detail)
			}
		})
	}
}
