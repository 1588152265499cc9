// Package emulator is a local, faithful stand-in for PingOne's OAuth 2.0
// token endpoint and the parts of its management API p1ctl uses, for
// end-to-end tests, demos and scripts that cannot reach a real tenant.
//
// A Server serves, on one loopback listener (or as an http.Handler):
//
//	POST /{envId}/as/token                          client credentials grant
//	POST /as/token                                  same, custom domain shape
//	GET  /{envId}/as/jwks                           signing keys
//	GET  /{envId}/as/.well-known/openid-configuration
//	GET  /v1/environments                           HAL list (filter, limit, cursor)
//	GET  /v1/environments/{id}
//	GET  /v1/environments/{envId}/applications/{appId}/roleAssignments
//	GET  /v1/roles/{id}
//	GET  /v1/environments/{envId}/activities         audit log of its own requests (also POST)
//
// so the same base URL is both the "auth host" and, with /v1 appended, the
// "API base". Status codes, error bodies (OAuth errors on the token
// endpoint, {id, code, message, details} elsewhere) and resource shapes
// follow PingOne's. Clients authenticate with client_secret_basic,
// client_secret_post, client_secret_jwt or private_key_jwt, as configured
// per client; access tokens are RS256 JWTs and management calls are
// authorized by the roles the fixture assigns.
//
// Tests can count requests (Count, Requests), inject faults (InjectFault:
// error statuses, Retry-After, delays, odd bodies, huge bodies), revoke
// tokens (RevokeTokens), control time (WithClock) and switch on quirks
// PingOne's documentation warns of (WithQuirks, SetQuirks: e.g. 403 rather
// than 404 for an environment that does not exist). The same controls are
// available over HTTP under /_emulator/ for the p1emu command.
//
// The data served comes from a Fixture: DefaultFixture returns built-in
// demo data whose identifiers demo.go exports as constants; LoadFixture
// reads one from YAML.
package emulator
