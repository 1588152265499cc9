package emulator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultFixtureIsValid(t *testing.T) {
	f := DefaultFixture()
	if err := f.validate(); err != nil {
		t.Fatalf("default fixture: %v", err)
	}
	if len(f.Environments) < 4 || len(f.Roles) < 6 || len(f.Clients) < 7 {
		t.Errorf("default fixture too small: %d environments, %d roles, %d clients",
			len(f.Environments), len(f.Roles), len(f.Clients))
	}
}

func TestDefaultFixtureReturnsFreshCopies(t *testing.T) {
	a := DefaultFixture()
	a.Clients[0].Secret = "changed"
	a.Environments[0]["name"] = "changed"
	b := DefaultFixture()
	if b.Clients[0].Secret == "changed" || b.Environments[0]["name"] == "changed" {
		t.Fatal("DefaultFixture returned shared data")
	}
}

// TestDemoConstantsMatchFixture keeps demo.go and fixtures/default.yaml in sync.
func TestDemoConstantsMatchFixture(t *testing.T) {
	f := DefaultFixture()
	if f.OrganizationID != DemoOrganizationID {
		t.Errorf("organization-id = %s, DemoOrganizationID = %s", f.OrganizationID, DemoOrganizationID)
	}

	envs := map[string]map[string]any{}
	for _, e := range f.Environments {
		envs[e["id"].(string)] = e
	}
	for id, name := range map[string]string{
		DemoEnvironmentID:    "Administrators",
		EUEnvironmentID:      "Développement – Zürich",
		StagingEnvironmentID: "Staging",
		LabsEnvironmentID:    "Labs",
	} {
		if e := envs[id]; e == nil || e["name"] != name {
			t.Errorf("environment %s: want name %q, got %v", id, name, e)
		}
	}
	if _, ok := envs[LabsEnvironmentID]["experimentalFlag"]; !ok {
		t.Error("Labs environment lost its experimentalFlag field")
	}
	if _, ok := envs[LabsEnvironmentID]["billOfMaterials"]; !ok {
		t.Error("Labs environment has no billOfMaterials")
	}

	roles := map[string]string{}
	for _, r := range f.Roles {
		roles[r.ID] = r.Name
	}
	for id, name := range map[string]string{
		OrganizationAdminRoleID:          "Organization Admin",
		EnvironmentAdminRoleID:           "Environment Admin",
		ConfigurationReadOnlyRoleID:      "Configuration Read Only",
		IdentityDataAdminRoleID:          "Identity Data Admin",
		IdentityDataReadOnlyRoleID:       "Identity Data Read Only",
		ClientApplicationDeveloperRoleID: "Client Application Developer",
	} {
		if roles[id] != name {
			t.Errorf("role %s: want %q, got %q", id, name, roles[id])
		}
	}

	clients := map[string]Client{}
	for _, c := range f.Clients {
		clients[c.ID] = c
	}
	for _, want := range []struct {
		id, secret, method string
		disabled           bool
	}{
		{DemoClientID, DemoClientSecret, AuthMethodClientSecretBasic, false},
		{PostClientID, PostClientSecret, AuthMethodClientSecretPost, false},
		{JWTClientID, JWTClientSecret, AuthMethodClientSecretJWT, false},
		{PrivateKeyClientID, "", AuthMethodPrivateKeyJWT, false},
		{NoRolesClientID, NoRolesClientSecret, AuthMethodClientSecretBasic, false},
		{DisabledClientID, DisabledClientSecret, AuthMethodClientSecretBasic, true},
		{OrgReaderClientID, OrgReaderClientSecret, AuthMethodClientSecretBasic, false},
		{IdentityClientID, IdentityClientSecret, AuthMethodClientSecretBasic, false},
	} {
		c, ok := clients[want.id]
		switch {
		case !ok:
			t.Errorf("client %s missing from the fixture", want.id)
		case c.Secret != want.secret || c.AuthMethod != want.method || c.Disabled != want.disabled:
			t.Errorf("client %s: got secret %q method %s disabled %v, want %q %s %v",
				want.id, c.Secret, c.AuthMethod, c.Disabled, want.secret, want.method, want.disabled)
		case c.EnvironmentID != DemoEnvironmentID:
			t.Errorf("client %s lives in %s, want %s", want.id, c.EnvironmentID, DemoEnvironmentID)
		}
	}
	demo := clients[DemoClientID]
	if strings.Join(demo.Scopes, " ") != DemoScopeRead+" "+DemoScopeAdmin {
		t.Errorf("demo scopes = %v", demo.Scopes)
	}
	for _, ra := range demo.RoleAssignments {
		if ra.ScopeID == StagingEnvironmentID {
			t.Error("demo client must have no role on Staging")
		}
	}
	if len(clients[NoRolesClientID].RoleAssignments) != 0 {
		t.Error("no roles worker has roles")
	}
	if _, err := os.Stat(PrivateKeyClientKeyFile); err != nil {
		t.Errorf("private key file: %v", err)
	}
}

func TestLoadFixture(t *testing.T) {
	const good = `
organization-id: 11111111-1111-4111-8111-111111111111
environments:
  - id: 22222222-2222-4222-8222-222222222222
    name: Prod
    type: PRODUCTION
    region: EU
    someFutureField: {nested: [1, two]}
roles:
  - id: 33333333-3333-4333-8333-333333333333
    name: Environment Admin
    permissions: [orgmgt:read:environment]
clients:
  - id: 44444444-4444-4444-8444-444444444444
    name: worker
    secret: s3cret
    environment-id: 22222222-2222-4222-8222-222222222222
    role-assignments:
      - role-id: 33333333-3333-4333-8333-333333333333
        scope-type: ORGANIZATION
`
	path := writeFile(t, good)
	f, err := LoadFixture(path)
	if err != nil {
		t.Fatalf("LoadFixture: %v", err)
	}
	if len(f.Environments) != 1 || f.Clients[0].Secret != "s3cret" {
		t.Fatalf("unexpected fixture: %+v", f)
	}

	// Defaults are applied when the server compiles the fixture.
	s, err := New(f, WithClock(func() time.Time { return time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	env := s.data.envs[0]
	if org := env["organization"].(map[string]any)["id"]; org != "11111111-1111-4111-8111-111111111111" {
		t.Errorf("organization not filled in: %v", env["organization"])
	}
	if env["createdAt"] != "2020-01-02T03:04:05Z" {
		t.Errorf("createdAt not filled in: %v", env["createdAt"])
	}
	c := s.data.clients["44444444-4444-4444-8444-444444444444"]
	if c.AuthMethod != AuthMethodClientSecretBasic {
		t.Errorf("auth method default = %q", c.AuthMethod)
	}
	ra := c.RoleAssignments[0]
	if !isUUID(ra.ID) || ra.ScopeID != "11111111-1111-4111-8111-111111111111" {
		t.Errorf("role assignment defaults not applied: %+v", ra)
	}
	// Changing the fixture after New does not change the server.
	f.Clients[0].Secret = "other"
	f.Environments[0]["name"] = "other"
	if s.data.clients["44444444-4444-4444-8444-444444444444"].Secret != "s3cret" || s.data.envs[0]["name"] != "Prod" {
		t.Error("server shares data with the fixture")
	}
}

func TestLoadFixtureErrors(t *testing.T) {
	const head = "organization-id: 11111111-1111-4111-8111-111111111111\n"
	const env = `environments:
  - {id: 22222222-2222-4222-8222-222222222222, name: Prod, type: PRODUCTION, region: NA}
`
	const role = `roles:
  - {id: 33333333-3333-4333-8333-333333333333, name: R, permissions: [orgmgt:read:environment]}
`
	client := func(extra string) string {
		return "clients:\n  - id: 44444444-4444-4444-8444-444444444444\n    environment-id: 22222222-2222-4222-8222-222222222222\n" + extra
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "empty fixture"},
		{"not yaml", "organization-id: [", "decode YAML"},
		{"unknown key", head + "colour: blue\n", "field colour not found"},
		{"unknown client key", head + env + client("    secret: x\n    colour: blue\n"), "field colour not found"},
		{"two documents", head + "---\n" + head, "more than one document"},
		{"bad organization", "organization-id: acme\n", "organization-id"},
		{"environment id", head + "environments:\n  - {id: prod, name: P, type: PRODUCTION, region: NA}\n", "is not a UUID"},
		{"duplicate environment", head + env + "  - {id: 22222222-2222-4222-8222-222222222222, name: Again, type: SANDBOX, region: NA}\n", "duplicate id"},
		{"environment name", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, type: PRODUCTION, region: NA}\n", "name is required"},
		{"environment type", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: LIVE, region: NA}\n", "type LIVE"},
		{"environment region", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX}\n", "region is required"},
		{"environment subtype", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX, region: NA, subtype: PROD}\n", "subtype PROD"},
		{"environment links", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX, region: NA, _links: {}}\n", "_links"},
		{"environment organization", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX, region: NA, organization: {id: 55555555-5555-4555-8555-555555555555}}\n", "organization.id"},
		{"environment timestamp", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX, region: NA, createdAt: yesterday}\n", "createdAt"},
		{"environment license", head + "environments:\n  - {id: 22222222-2222-4222-8222-222222222222, name: P, type: SANDBOX, region: NA, license: {id: x}}\n", "license.id"},
		{"role id", head + "roles:\n  - {id: r1, name: R}\n", "roles[0]"},
		{"duplicate role", head + role + "  - {id: 33333333-3333-4333-8333-333333333333, name: R2}\n", "duplicate id"},
		{"client id", head + env + "clients:\n  - {id: c1, secret: s, environment-id: 22222222-2222-4222-8222-222222222222}\n", "is not a UUID"},
		{"client environment", head + env + "clients:\n  - {id: 44444444-4444-4444-8444-444444444444, secret: s, environment-id: 66666666-6666-4666-8666-666666666666}\n", "not an environment of the fixture"},
		{"duplicate client", head + env + client("    secret: s\n") + "  - {id: 44444444-4444-4444-8444-444444444444, secret: s, environment-id: 22222222-2222-4222-8222-222222222222}\n", "duplicate id"},
		{"auth method", head + env + client("    secret: s\n    auth-method: MAGIC\n"), "auth-method"},
		{"missing secret", head + env + client(""), "secret is required"},
		{"short jwt secret", head + env + client("    secret: short\n    auth-method: CLIENT_SECRET_JWT\n"), "at least 32 bytes"},
		{"missing public key", head + env + client("    auth-method: PRIVATE_KEY_JWT\n"), "public-key-pem is required"},
		{"bad public key", head + env + client("    auth-method: PRIVATE_KEY_JWT\n    public-key-pem: nope\n"), "no PEM block"},
		{"stray public key", head + env + client("    secret: s\n    public-key-pem: nope\n"), "only used with PRIVATE_KEY_JWT"},
		{"bad scope", head + env + client("    secret: s\n    scopes: [\"a b\"]\n"), "invalid scope"},
		{"duplicate scope", head + env + client("    secret: s\n    scopes: [a, a]\n"), "duplicate scope"},
		{"unknown role", head + env + role + client("    secret: s\n    role-assignments:\n      - {role-id: 77777777-7777-4777-8777-777777777777, scope-type: ORGANIZATION}\n"), "not a role of the fixture"},
		{"bad scope type", head + env + role + client("    secret: s\n    role-assignments:\n      - {role-id: 33333333-3333-4333-8333-333333333333, scope-type: POPULATION}\n"), "scope-type"},
		{"unknown scope environment", head + env + role + client("    secret: s\n    role-assignments:\n      - {role-id: 33333333-3333-4333-8333-333333333333, scope-type: ENVIRONMENT, scope-id: 66666666-6666-4666-8666-666666666666}\n"), "scope-id"},
		{"other organization", head + env + role + client("    secret: s\n    role-assignments:\n      - {role-id: 33333333-3333-4333-8333-333333333333, scope-type: ORGANIZATION, scope-id: 66666666-6666-4666-8666-666666666666}\n"), "is not the organization"},
		{"duplicate assignment", head + env + role + client("    secret: s\n    role-assignments:\n      - {id: 88888888-8888-4888-8888-888888888888, role-id: 33333333-3333-4333-8333-333333333333, scope-type: ORGANIZATION}\n      - {id: 88888888-8888-4888-8888-888888888888, role-id: 33333333-3333-4333-8333-333333333333, scope-type: ORGANIZATION}\n"), "duplicate id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFixture(writeFile(t, tt.yaml))
			if err == nil {
				t.Fatal("LoadFixture succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestLoadFixtureMissingFile(t *testing.T) {
	_, err := LoadFixture(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want a not-exist error, got %v", err)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		f    *Fixture
		opts []Option
		want string
	}{
		{"nil fixture", nil, nil, "fixture is nil"},
		{"unparsable built-in", &Fixture{loadErr: os.ErrInvalid}, nil, "invalid argument"},
		{"zero lifetime", DefaultFixture(), []Option{WithTokenLifetime(0)}, "lifetime"},
		{"nil clock", DefaultFixture(), []Option{WithClock(nil)}, "clock is nil"},
		{"unknown custom domain environment", DefaultFixture(), []Option{WithCustomDomainEnvironment("66666666-6666-4666-8666-666666666666")}, "WithCustomDomainEnvironment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.f, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParsePublicKeyFormats(t *testing.T) {
	key := loadPrivateKey(t)
	for name, pemText := range map[string]string{
		"pkix":  pemEncode(t, "PUBLIC KEY", key, false),
		"pkcs1": pemEncode(t, "RSA PUBLIC KEY", key, true),
	} {
		if _, err := parsePublicKey(pemText); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := parsePublicKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"); err == nil {
		t.Error("garbage certificate accepted")
	}
	if _, err := parsePublicKey("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"); err == nil {
		t.Error("private key block accepted")
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFixtureBuiltInGo(t *testing.T) {
	base := func(extra map[string]any) *Fixture {
		env := map[string]any{
			"id": "22222222-2222-4222-8222-222222222222", "name": "Go", "type": "SANDBOX", "region": "SG",
		}
		for k, v := range extra {
			env[k] = v
		}
		return &Fixture{OrganizationID: DemoOrganizationID, Environments: []map[string]any{env}}
	}
	created := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	s, err := New(base(map[string]any{
		"createdAt": created,
		"meta":      map[any]any{"tags": []any{"a", map[any]any{"k": 1}}},
		"big":       int64(1) << 60,
	}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	env := s.data.envs[0]
	if env["createdAt"] != "2024-02-03T04:05:06Z" {
		t.Errorf("createdAt = %v", env["createdAt"])
	}
	if got := env["big"]; got == nil || got.(interface{ String() string }).String() != "1152921504606846976" {
		t.Errorf("big = %v", got)
	}

	for name, extra := range map[string]map[string]any{
		"non-string key": {"meta": map[any]any{1: "x"}},
		"not JSON":       {"meta": make(chan int)},
		"nested key":     {"meta": []any{map[any]any{true: 1}}},
	} {
		if _, err := New(base(extra)); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	if _, err := New(&Fixture{OrganizationID: DemoOrganizationID, Environments: []map[string]any{nil}}); err == nil {
		t.Error("nil environment accepted")
	}
}
