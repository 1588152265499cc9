package doctor

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeClaims(t *testing.T) {
	tok := signJWT(t, map[string]any{"client_id": "abc", "aud": "https://api.pingone.com", "exp": 1700000000})
	tests := []struct {
		name    string
		token   string
		wantErr bool
	}{
		{name: "JWT", token: tok},
		{name: "opaque", token: "opaque-token", wantErr: true},
		{name: "three parts, not JSON", token: "a.b.c", wantErr: true},
		{name: "empty", token: "", wantErr: true},
	}
	for _, tt := range tests {
		claims, err := DecodeClaims(tt.token)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got := claimString(claims, "client_id"); got != "abc" {
			t.Errorf("client_id = %q", got)
		}
		if got := claimStrings(claims, "aud"); len(got) != 1 || got[0] != "https://api.pingone.com" {
			t.Errorf("aud = %q", got)
		}
		if got, ok := claimTime(claims, "exp"); !ok || !got.Equal(time.Unix(1700000000, 0)) {
			t.Errorf("exp = %v, %v", got, ok)
		}
	}
}

func TestClaimHelpers(t *testing.T) {
	claims := map[string]any{
		"s":    "x",
		"n":    float64(3),
		"list": []any{"a", "b"},
		"t":    1700000000.5,
		"bad":  "soon",
	}
	if got := claimString(claims, "n"); got != "3" {
		t.Errorf("claimString(n) = %q", got)
	}
	if got := claimString(claims, "missing"); got != "" {
		t.Errorf("claimString(missing) = %q", got)
	}
	if got := claimStrings(claims, "list"); len(got) != 2 || got[1] != "b" {
		t.Errorf("claimStrings(list) = %q", got)
	}
	if got := claimStrings(claims, "n"); got != nil {
		t.Errorf("claimStrings(n) = %q", got)
	}
	if got, ok := claimTime(claims, "t"); !ok || got.UnixMilli() != 1700000000500 {
		t.Errorf("claimTime(t) = %v, %v", got, ok)
	}
	if _, ok := claimTime(claims, "bad"); ok {
		t.Error("claimTime(bad): want not ok")
	}
}

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
