package emulator

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// Client authentication methods, as PingOne names them in an application's
// tokenEndpointAuthMethod.
const (
	// AuthMethodClientSecretBasic: client ID and secret in HTTP Basic (default).
	AuthMethodClientSecretBasic = "CLIENT_SECRET_BASIC"
	// AuthMethodClientSecretPost: client_id and client_secret form fields.
	AuthMethodClientSecretPost = "CLIENT_SECRET_POST"
	// AuthMethodClientSecretJWT: a client assertion signed with the secret
	// (HS256, HS384 or HS512).
	AuthMethodClientSecretJWT = "CLIENT_SECRET_JWT"
	// AuthMethodPrivateKeyJWT: a client assertion signed with the client's
	// private key (RS256, RS384, RS512 or ES256).
	AuthMethodPrivateKeyJWT = "PRIVATE_KEY_JWT"
)

// Role assignment scope types.
const (
	// ScopeTypeOrganization grants a role over the whole organization.
	ScopeTypeOrganization = "ORGANIZATION"
	// ScopeTypeEnvironment grants a role over one environment.
	ScopeTypeEnvironment = "ENVIRONMENT"
)

// Fixture is the data an emulator serves: one organization, its
// environments, the admin roles and the worker applications (clients) that
// may ask for tokens. It can be written by hand in YAML (see LoadFixture) or
// built in Go; New validates it either way.
type Fixture struct {
	// OrganizationID is the UUID of the organization.
	OrganizationID string `yaml:"organization-id"`
	// Environments are full PingOne environment resources, keyed by their
	// JSON field names (id, name, description, type, region, status, subtype,
	// license{id,package}, organization{id}, billOfMaterials, createdAt,
	// updatedAt, ...). Fields the emulator does not know are served back
	// verbatim. A missing organization is filled in from OrganizationID,
	// missing createdAt/updatedAt from the clock when the server is created,
	// and _links is added when a resource is served.
	Environments []map[string]any `yaml:"environments"`
	// Roles are the admin roles clients can be assigned.
	Roles []Role `yaml:"roles"`
	// Clients are the worker applications that may ask for tokens.
	Clients []Client `yaml:"clients"`

	// loadErr records why the embedded default fixture could not be parsed;
	// validate reports it.
	loadErr error
}

// Role is a PingOne admin role and the permissions it grants.
type Role struct {
	// ID is the role's UUID.
	ID string `yaml:"id"`
	// Name is the role's display name, e.g. "Environment Admin".
	Name string `yaml:"name"`
	// Description is optional text served with the role.
	Description string `yaml:"description"`
	// Permissions are permission IDs such as "orgmgt:read:environment".
	Permissions []string `yaml:"permissions"`
}

// Client is a worker application. Its client ID is its application ID.
type Client struct {
	// ID is the client (and application) UUID.
	ID string `yaml:"id"`
	// Name is the application's display name.
	Name string `yaml:"name"`
	// Secret is the client secret; required unless AuthMethod is
	// PRIVATE_KEY_JWT. CLIENT_SECRET_JWT needs at least 32 bytes (64 for HS512).
	Secret string `yaml:"secret"`
	// EnvironmentID is the environment the application lives in: token
	// requests must be sent to that environment's token URL.
	EnvironmentID string `yaml:"environment-id"`
	// Disabled clients are refused tokens.
	Disabled bool `yaml:"disabled"`
	// AuthMethod is one of the AuthMethod* constants; empty means
	// CLIENT_SECRET_BASIC.
	AuthMethod string `yaml:"auth-method"`
	// PublicKeyPEM is the PEM-encoded RSA or EC public key (PKIX "PUBLIC KEY",
	// PKCS #1 "RSA PUBLIC KEY" or a certificate) that verifies PRIVATE_KEY_JWT
	// assertions.
	PublicKeyPEM string `yaml:"public-key-pem"`
	// Scopes are the custom scopes the client may request, besides the
	// default (no scope: a worker token carries the client's roles).
	Scopes []string `yaml:"scopes"`
	// RoleAssignments are the admin roles the application holds.
	RoleAssignments []RoleAssignment `yaml:"role-assignments"`
}

// RoleAssignment grants a role to a client over an organization or an
// environment.
type RoleAssignment struct {
	// ID is the assignment's UUID. If empty, a stable one is derived from
	// the client ID and the assignment's position.
	ID string `yaml:"id"`
	// RoleID is the ID of a Role of the fixture.
	RoleID string `yaml:"role-id"`
	// ScopeType is ORGANIZATION or ENVIRONMENT.
	ScopeType string `yaml:"scope-type"`
	// ScopeID is the organization or environment ID. For ORGANIZATION it may
	// be left empty and defaults to the fixture's organization.
	ScopeID string `yaml:"scope-id"`
	// ReadOnly marks the assignment as one callers see as readOnly (one
	// they could not grant themselves): PingOne then refuses them the
	// application's secret endpoints (403).
	ReadOnly bool `yaml:"read-only"`
}

//go:embed fixtures/default.yaml
var defaultFixtureYAML []byte

// DefaultFixture returns a fresh copy of the built-in demo data (the
// constants of demo.go name its IDs and secrets). Callers may modify it.
func DefaultFixture() *Fixture {
	f, err := parseFixture(defaultFixtureYAML)
	if err != nil {
		// Cannot happen with the committed file (a test parses it); New
		// reports the problem instead of panicking here.
		return &Fixture{loadErr: fmt.Errorf("built-in fixture: %w", err)}
	}
	return f
}

// LoadFixture reads a YAML fixture from path. Decoding is strict: unknown
// keys are errors (except inside environment resources, which are free-form
// on purpose). The fixture is validated as New would.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: load fixture: %w", err)
	}
	f, err := parseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("emulator: load fixture %s: %w", path, err)
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("emulator: load fixture %s: %w", path, err)
	}
	return f, nil
}

// parseFixture decodes exactly one strict YAML document.
func parseFixture(data []byte) (*Fixture, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty fixture")
		}
		return nil, fmt.Errorf("decode YAML: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode YAML: more than one document")
	}
	return &f, nil
}
