package emulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Endpoint kinds of the application secret endpoints.
const (
	EndpointSecret         = "secret"          // POST /v1/environments/{envId}/applications/{appId}/secret
	EndpointSecretPrevious = "secret-previous" // DELETE /v1/environments/{envId}/applications/{appId}/secret/previous
)

// Permissions the secret endpoints require, as PingOne names them.
const (
	permUpdateSecret = "applications:update:secret"
	permDeleteSecret = "applications:delete:secret"
)

// PingOne keeps a previous secret from one minute to 30 days.
const (
	minPreviousSecretLife = time.Minute
	maxPreviousSecretLife = 30 * 24 * time.Hour
	maxSecretBodyBytes    = 16 << 10
)

// secretState is an application's secrets once rotated: the fixture's
// secret is then no longer used.
type secretState struct {
	current         string
	previous        string
	previousExpires time.Time
}

// matchSecret maps the secret endpoints' paths (split at "/", starting
// with "v1") to their routes.
func (s *Server) matchSecret(seg []string) (route, bool) {
	if len(seg) < 6 || seg[1] != "environments" || seg[3] != "applications" || seg[5] != "secret" {
		return route{}, false
	}
	envID, appID := seg[2], seg[4]
	switch {
	case len(seg) == 6:
		return route{kind: EndpointSecret, method: http.MethodPost, serveAPI: func(w http.ResponseWriter, r *http.Request, c *clientRecord) {
			s.serveRotateSecret(w, r, c, envID, appID)
		}}, true
	case len(seg) == 7 && seg[6] == "previous":
		return route{kind: EndpointSecretPrevious, method: http.MethodDelete, serveAPI: func(w http.ResponseWriter, r *http.Request, c *clientRecord) {
			s.serveDeletePreviousSecret(w, r, c, envID, appID)
		}}, true
	}
	return route{}, false
}

// secretTarget returns the application whose secret c may change with
// perm, or answers as PingOne would and returns nil: 400 for IDs that are
// not UUIDs, 404 for an unknown environment or application, 403 when c
// lacks perm on the environment or sees any of the application's role
// assignments as read-only.
func (s *Server) secretTarget(w http.ResponseWriter, c *clientRecord, perm, envID, appID string) *clientRecord {
	if !isUUID(envID) {
		writeInvalidData(w, "environmentId", "The environment ID must be a valid UUID.")
		return nil
	}
	if !isUUID(appID) {
		writeInvalidData(w, "applicationId", "The application ID must be a valid UUID.")
		return nil
	}
	if _, ok := s.environmentFor(w, c, perm, envID); !ok {
		return nil
	}
	app := s.clientIn(envID, appID)
	if app == nil {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Unable to find application with ID: '%s'", appID))
		return nil
	}
	for _, ra := range app.RoleAssignments {
		if ra.ReadOnly {
			// PingOne refuses so that no one gains, through the app's
			// secret, roles they could not grant themselves.
			writeForbidden(w)
			return nil
		}
	}
	return app
}

// serveRotateSecret answers POST .../applications/{appId}/secret: a new
// secret, the replaced one kept until previous.expiresAt if the body asks.
func (s *Server) serveRotateSecret(w http.ResponseWriter, r *http.Request, c *clientRecord, envID, appID string) {
	app := s.secretTarget(w, c, permUpdateSecret, envID, appID)
	if app == nil {
		return
	}
	var body struct {
		Previous *struct {
			ExpiresAt string `json:"expiresAt"`
		} `json:"previous"`
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxSecretBodyBytes+1))
	if err != nil || len(raw) > maxSecretBodyBytes {
		writeAPIError(w, http.StatusBadRequest, "INVALID_REQUEST", "The request could not be read.")
		return
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			writeAPIError(w, http.StatusBadRequest, "INVALID_REQUEST", "The request body is not valid JSON.")
			return
		}
	}
	now := s.now()
	var expires time.Time
	if body.Previous != nil {
		expires, err = time.Parse(time.RFC3339Nano, body.Previous.ExpiresAt)
		if err != nil {
			writeInvalidData(w, "previous.expiresAt", "The value must be an RFC 3339 date-time.")
			return
		}
		if life := expires.Sub(now); life < minPreviousSecretLife || life > maxPreviousSecretLife {
			writeInvalidData(w, "previous.expiresAt", "The previous secret must expire between 1 minute and 30 days from now.")
			return
		}
	}
	secret, err := newSecret()
	if err != nil {
		writeAPIError(w, http.StatusInternalServerError, "UNEXPECTED_ERROR", "The secret could not be generated.")
		return
	}
	s.mu.Lock()
	if s.secrets == nil {
		s.secrets = make(map[string]*secretState)
	}
	st := s.secrets[idKey(app.ID)]
	if st == nil {
		st = &secretState{current: app.Secret}
		s.secrets[idKey(app.ID)] = st
	}
	old := st.current
	st.current, st.previous, st.previousExpires = secret, "", time.Time{}
	if body.Previous != nil {
		st.previous, st.previousExpires = old, expires
	}
	s.mu.Unlock()

	answer := map[string]any{
		"_links":      map[string]link{"self": {s.apiBaseURL(r) + "/environments/" + envID + "/applications/" + appID + "/secret"}},
		"environment": idRef{app.EnvironmentID},
		"secret":      secret,
	}
	if body.Previous != nil {
		answer["previous"] = map[string]string{"secret": old, "expiresAt": expires.UTC().Format("2006-01-02T15:04:05.000Z")}
	}
	noStore(w)
	writeJSON(w, http.StatusOK, answer)
}

// serveDeletePreviousSecret answers DELETE .../secret/previous: the
// previous secret stops working at once. Without one it still answers
// 204: the outcome the caller wants holds.
func (s *Server) serveDeletePreviousSecret(w http.ResponseWriter, _ *http.Request, c *clientRecord, envID, appID string) {
	app := s.secretTarget(w, c, permDeleteSecret, envID, appID)
	if app == nil {
		return
	}
	s.mu.Lock()
	if st := s.secrets[idKey(app.ID)]; st != nil {
		st.previous, st.previousExpires = "", time.Time{}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// secretsOf returns the secrets c authenticates with now: the current one
// and, until it expires, the previous one. With the RejectNewSecret quirk
// a rotated secret is not accepted yet.
func (s *Server) secretsOf(c *clientRecord) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.secrets[idKey(c.ID)]
	if st == nil {
		return []string{c.Secret}
	}
	var out []string
	if !s.quirks.RejectNewSecret {
		out = append(out, st.current)
	}
	if st.previous != "" && s.now().Before(st.previousExpires) {
		out = append(out, st.previous)
	}
	return out
}

// secretMatches reports, in constant time per candidate, whether secret
// is one c authenticates with now.
func (s *Server) secretMatches(c *clientRecord, secret string) bool {
	ok := false
	for _, want := range s.secretsOf(c) {
		if subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1 {
			ok = true
		}
	}
	return ok
}

// newSecret returns a random secret of 64 URL-safe characters, as long as
// PingOne's.
func newSecret() (string, error) {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("no randomness")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
