package emulator

// Quirks switch on PingOne behaviours that its documentation warns about
// but that differ from the emulator's default answers, so that clients can
// be tested against both. The zero value, every quirk off, is the default.
type Quirks struct {
	// MissingEnvironmentForbidden makes the environment-scoped endpoints
	// (GET /v1/environments/{id} and its roleAssignments) answer an
	// environment that does not exist as PingOne may: 403
	// ACCESS_FAILED/INSUFFICIENT_PERMISSIONS, the very answer to a missing
	// permission, for callers that do not hold the endpoint's permission
	// through an organization-level role. Callers that do still get 404
	// NOT_FOUND "Unable to find environment with ID: '<id>'", as every
	// caller does when it is off. An environment that exists but that the
	// caller may not read answers 403 either way.
	MissingEnvironmentForbidden bool `json:"missingEnvironmentForbidden"`
	// RejectNewSecret makes the token endpoint refuse a secret made by
	// POST .../applications/{appId}/secret (a previous one kept valid is
	// still accepted), as a secret that has not reached every PingOne
	// node yet would be, so that a client's check of a new secret can be
	// seen to fail.
	RejectNewSecret bool `json:"rejectNewSecret"`
}

// WithQuirks sets the quirks a server starts with, and returns to on Reset.
func WithQuirks(q Quirks) Option {
	return func(s *Server) { s.startQuirks = q }
}

// SetQuirks replaces the server's quirks until the next SetQuirks or Reset
// (which restores those given to New with WithQuirks).
func (s *Server) SetQuirks(q Quirks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quirks = q
}

// Quirks returns the quirks in effect.
func (s *Server) Quirks() Quirks {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quirks
}
