package doctorcmd

import (
	"context"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestCheckPrivilege(t *testing.T) {
	const (
		home   = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
		target = "f13dbf61-38ba-4fd6-abe2-4630b662794a"
		other  = "d44e6307-e87e-4bda-b119-9b66b9db8c0f"
		org    = "5fa70f81-1e8a-48e7-b444-aa37e1dc248c"
	)
	envAdmin := func(env string) Assignment {
		return Assignment{RoleName: "Environment Admin", ScopeType: ScopeEnvironment, ScopeID: env}
	}
	for _, tc := range []struct {
		name      string
		target    string
		roles     []Assignment
		known     bool
		want      Status
		beyond    int
		mentioned string
	}{
		{"roles on the environments read", target, []Assignment{envAdmin(home), envAdmin(strings.ToUpper(target))}, true, StatusPass, 0, ""},
		{"organization role", "", []Assignment{envAdmin(home), {RoleName: "Organization Admin", ScopeType: ScopeOrganization, ScopeID: org}}, true, StatusWarn, 1, "Organization Admin"},
		{"role on an environment not read", "", []Assignment{envAdmin(home), envAdmin(other)}, true, StatusWarn, 1, other},
		{"target counts as read", target, []Assignment{envAdmin(target)}, true, StatusPass, 0, ""},
		{"roles unknown", "", nil, false, StatusSkip, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &doctor{
				opts:       &DoctorOptions{Target: tc.target},
				settings:   &config.Settings{EnvironmentID: home},
				roles:      tc.roles,
				rolesKnown: tc.known,
			}
			c := d.checkPrivilege(context.Background())[0]
			if c.Status != tc.want {
				t.Fatalf("status %s, want %s: %s", c.Status, tc.want, c.Detail)
			}
			if tc.want == StatusSkip {
				return
			}
			if got := len(c.Data["beyond"].([]Assignment)); got != tc.beyond {
				t.Errorf("%d assignments beyond, want %d", got, tc.beyond)
			}
			if tc.mentioned != "" && !strings.Contains(strings.Join(c.lines, "\n"), tc.mentioned) {
				t.Errorf("lines %q do not name %s", c.lines, tc.mentioned)
			}
			if c.code != 0 {
				t.Errorf("exit code %d: the check must never fail", c.code)
			}
		})
	}
}
