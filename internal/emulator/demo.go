package emulator

// Identifiers and secrets of the built-in demo data (see DefaultFixture and
// fixtures/default.yaml). They are made up, stable, and safe to print:
// none of them exists in a real PingOne tenant.
const (
	// DemoOrganizationID is the organization every demo environment belongs to.
	DemoOrganizationID = "5fa70f81-1e8a-48e7-b444-aa37e1dc248c"

	// DemoEnvironmentID is the "Administrators" environment (PRODUCTION, NA).
	// All demo clients live in it, so token requests go to its token URL.
	DemoEnvironmentID = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
	// EUEnvironmentID is "Développement – Zürich" (SANDBOX, EU, subtype DEV),
	// whose name is deliberately not ASCII.
	EUEnvironmentID = "d44e6307-e87e-4bda-b119-9b66b9db8c0f"
	// StagingEnvironmentID is "Staging" (SANDBOX, NA, subtype STAGING). The
	// demo client has no role on it, so reading it answers 403.
	StagingEnvironmentID = "f13dbf61-38ba-4fd6-abe2-4630b662794a"
	// LabsEnvironmentID is "Labs" (SANDBOX, CA): it has a billOfMaterials and
	// an undocumented "experimentalFlag" field that clients must keep.
	LabsEnvironmentID = "7dbc9add-6349-430d-8fe0-f5ccc266e964"

	// OrganizationAdminRoleID is the "Organization Admin" role.
	OrganizationAdminRoleID = "51907270-8291-44e2-a743-d9c9ddb0aa9f"
	// EnvironmentAdminRoleID is the "Environment Admin" role.
	EnvironmentAdminRoleID = "81143998-6005-4e02-b024-aef2955bf70d"
	// ConfigurationReadOnlyRoleID is the "Configuration Read Only" role.
	ConfigurationReadOnlyRoleID = "345dc547-e70f-43fa-b91c-d5e8a08351d8"
	// IdentityDataAdminRoleID is the "Identity Data Admin" role, which cannot
	// read environments.
	IdentityDataAdminRoleID = "85932835-9255-4318-a6ca-1c287fb7992d"
	// IdentityDataReadOnlyRoleID is the "Identity Data Read Only" role.
	IdentityDataReadOnlyRoleID = "15d3e68d-c3d6-4c3f-bff3-22c7b8111580"
	// ClientApplicationDeveloperRoleID is the "Client Application Developer" role.
	ClientApplicationDeveloperRoleID = "f8fee54d-55cc-4f2a-b9ed-140f4fbc701f"

	// DemoClientID is the "p1ctl demo worker" (CLIENT_SECRET_BASIC): Environment
	// Admin on DemoEnvironmentID and EUEnvironmentID, Configuration Read Only on
	// DemoEnvironmentID, no role on Staging or Labs. It may request the custom
	// scopes DemoScopeRead and DemoScopeAdmin.
	DemoClientID = "5b41efba-9307-4181-b0e2-c52a68e3b165"
	// DemoClientSecret is DemoClientID's secret.
	DemoClientSecret = "demo-secret-please-change"
	// DemoScopeRead is a custom scope the demo client may request.
	DemoScopeRead = "p1ctl:read"
	// DemoScopeAdmin is another custom scope the demo client may request.
	DemoScopeAdmin = "pas:admin"

	// PostClientID is the "post client" (CLIENT_SECRET_POST), Environment Admin
	// on DemoEnvironmentID.
	PostClientID = "a397c6e6-5f60-4cf8-ab19-56b42d0df1e6"
	// PostClientSecret is PostClientID's secret.
	PostClientSecret = "post-secret-please-change"

	// JWTClientID is the "jwt client" (CLIENT_SECRET_JWT), Environment Admin on
	// DemoEnvironmentID.
	JWTClientID = "5363ff81-a98c-4435-aec9-4092996c5302"
	// JWTClientSecret is JWTClientID's secret, long enough for HS512.
	JWTClientSecret = "demo-jwt-secret-please-change-this-fake-value-is-for-the-emulator-only"

	// PrivateKeyClientID is the "private key client" (PRIVATE_KEY_JWT),
	// Environment Admin on DemoEnvironmentID. Its RSA private key is
	// PrivateKeyClientKeyFile.
	PrivateKeyClientID = "9a148ef7-833c-4edb-abe1-e15a99225873"
	// PrivateKeyClientKeyFile is the PKCS #8 PEM private key of
	// PrivateKeyClientID, relative to this package's directory. Test use only.
	PrivateKeyClientKeyFile = "testdata/private-key-client.pem"

	// NoRolesClientID is the "no roles worker": it gets tokens, but every
	// management API read answers 403.
	NoRolesClientID = "d4f3093d-7ed1-456b-9515-10bf48c8ee32"
	// NoRolesClientSecret is NoRolesClientID's secret.
	NoRolesClientSecret = "no-roles-secret-please-change"

	// DisabledClientID is a disabled worker: token requests answer 401
	// invalid_client even with the right secret.
	DisabledClientID = "2afd7ddf-a4fc-4739-9b71-d23a2f075582"
	// DisabledClientSecret is DisabledClientID's secret.
	DisabledClientSecret = "disabled-secret-please-change"

	// OrgReaderClientID is the "org reader": Organization Admin on the
	// organization, so it reads every environment.
	OrgReaderClientID = "c3c8aa2e-8b55-4f9b-bcff-8c7daae12db9"
	// OrgReaderClientSecret is OrgReaderClientID's secret.
	OrgReaderClientSecret = "org-reader-secret-please-change"

	// IdentityClientID is the "identity data worker": Identity Data Admin on
	// DemoEnvironmentID, a role that cannot read environments (403).
	IdentityClientID = "aefd22ad-8ec8-4759-af3b-c309ce5b2e51"
	// IdentityClientSecret is IdentityClientID's secret.
	IdentityClientSecret = "identity-secret-please-change"

	// LockedClientID is the "secret-locked worker": callers see its role
	// assignment as readOnly, so PingOne refuses them its secret (403).
	LockedClientID = "0c5d9a4e-3b7f-4e21-9c8a-6f1e2d3b4a59"
	// LockedClientSecret is LockedClientID's secret.
	LockedClientSecret = "locked-secret-please-change"
)
