package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// Admin endpoints (not part of PingOne) let shell scripts and p1emu users
// inspect and steer a running emulator:
//
//	GET  /_emulator/stats     request counts per endpoint kind and "total"
//	GET  /_emulator/requests  the request log
//	POST /_emulator/reset     Reset
//	POST /_emulator/faults    InjectFault, body: a fault as JSON
//	POST /_emulator/revoke    RevokeTokens
//	POST /_emulator/quirks    SetQuirks, body: Quirks as JSON (quirks it
//	                          omits are off), e.g. {"missingEnvironmentForbidden":true}
//
// They are neither recorded nor subject to faults.

// faultRequest is the JSON form of a Fault, for POST /_emulator/faults.
// Delay is a Go duration string ("1.5s"); retryAfter may be a string or a
// number.
type faultRequest struct {
	Endpoint    string      `json:"endpoint"`
	Times       int         `json:"times"`
	Status      int         `json:"status"`
	RetryAfter  stringOrNum `json:"retryAfter"`
	Delay       string      `json:"delay"`
	Body        string      `json:"body"`
	ContentType string      `json:"contentType"`
	BodySize    int64       `json:"bodySize"`
	Location    string      `json:"location"`
}

// stringOrNum accepts a JSON string or number, kept as text.
type stringOrNum string

// UnmarshalJSON implements json.Unmarshaler.
func (v *stringOrNum) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = stringOrNum(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("must be a string or a number")
	}
	*v = stringOrNum(n.String())
	return nil
}

// fault validates the request and converts it.
func (fr faultRequest) fault() (Fault, error) {
	f := Fault{
		Endpoint:    fr.Endpoint,
		Times:       fr.Times,
		Status:      fr.Status,
		RetryAfter:  string(fr.RetryAfter),
		Body:        fr.Body,
		ContentType: fr.ContentType,
		BodySize:    fr.BodySize,
		Location:    fr.Location,
	}
	if f.Endpoint != "" && !slices.Contains(endpointKinds, f.Endpoint) {
		return Fault{}, fmt.Errorf("unknown endpoint %q", f.Endpoint)
	}
	if f.Times < 0 {
		return Fault{}, errors.New("times must not be negative")
	}
	if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
		return Fault{}, fmt.Errorf("status %d is not between 200 and 599", f.Status)
	}
	if f.BodySize < 0 {
		return Fault{}, errors.New("bodySize must not be negative")
	}
	if fr.Delay != "" {
		d, err := time.ParseDuration(fr.Delay)
		if err != nil {
			return Fault{}, fmt.Errorf("delay: %w", err)
		}
		if d < 0 {
			return Fault{}, errors.New("delay must not be negative")
		}
		f.Delay = d
	}
	return f, nil
}

// serveAdmin answers /_emulator/... requests.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	type endpoint struct {
		method string
		serve  func(w http.ResponseWriter, r *http.Request)
	}
	endpoints := map[string]endpoint{
		"/_emulator/stats": {http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, s.stats())
		}},
		"/_emulator/requests": {http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, s.Requests())
		}},
		"/_emulator/reset": {http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
			s.Reset()
			w.WriteHeader(http.StatusNoContent)
		}},
		"/_emulator/revoke": {http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
			s.RevokeTokens()
			w.WriteHeader(http.StatusNoContent)
		}},
		"/_emulator/faults": {http.MethodPost, s.serveAddFault},
		"/_emulator/quirks": {http.MethodPost, s.serveSetQuirks},
	}
	ep, ok := endpoints[r.URL.Path]
	if !ok {
		writeAdminError(w, http.StatusNotFound, "no such emulator admin endpoint")
		return
	}
	if r.Method != ep.method {
		w.Header().Set("Allow", ep.method)
		writeAdminError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed, use "+ep.method)
		return
	}
	ep.serve(w, r)
}

// serveAddFault answers POST /_emulator/faults.
func (s *Server) serveAddFault(w http.ResponseWriter, r *http.Request) {
	var fr faultRequest
	if !decodeAdminBody(w, r, "fault", &fr) {
		return
	}
	f, err := fr.fault()
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, "invalid fault: "+err.Error())
		return
	}
	s.InjectFault(f)
	w.WriteHeader(http.StatusNoContent)
}

// serveSetQuirks answers POST /_emulator/quirks.
func (s *Server) serveSetQuirks(w http.ResponseWriter, r *http.Request) {
	var q Quirks
	if !decodeAdminBody(w, r, "quirks", &q) {
		return
	}
	s.SetQuirks(q)
	w.WriteHeader(http.StatusNoContent)
}

// decodeAdminBody strictly decodes a request body holding one JSON object
// into v (what names it in errors). If that fails it answers 400 and
// returns false.
func decodeAdminBody(w http.ResponseWriter, r *http.Request, what string, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, "read body: "+err.Error())
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeAdminError(w, http.StatusBadRequest, "decode "+what+": "+err.Error())
		return false
	}
	if dec.More() {
		writeAdminError(w, http.StatusBadRequest, "decode "+what+": trailing data after the JSON object")
		return false
	}
	return true
}

// writeAdminError answers an admin endpoint error.
func writeAdminError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}
