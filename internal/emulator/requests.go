package emulator

import (
	"net/http"
	"slices"
	"time"
)

// Request records one request the emulator saw (admin endpoints excluded).
type Request struct {
	// Endpoint is the endpoint kind (EndpointToken, EndpointEnvironment, ...).
	Endpoint string `json:"endpoint"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the URL path.
	Path string `json:"path"`
	// Status is the status answered, or 0 while the request is in progress
	// or if the client went away before an answer (e.g. during a Delay fault).
	Status int `json:"status"`
	// Time is when the request arrived, by the server's clock.
	Time time.Time `json:"time"`
}

// Count returns how many requests of an endpoint kind (EndpointToken,
// "environment", ...) the server has seen since it started or was last
// Reset; "" counts all of them. A request counts as soon as it arrives.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if endpoint == "" {
		return s.total
	}
	return s.counts[endpoint]
}

// Requests returns a copy of the request log, oldest first. The log keeps
// the most recent 100000 requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// Reset clears the request counters, the request log and every injected
// fault, and restores the quirks New was given (see SetQuirks). Issued
// tokens stay valid (see RevokeTokens).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.counts = make(map[string]int)
	s.total = 0
	s.faults = nil
	s.quirks = s.startQuirks
	s.resetActivities()
}

// stats returns the per-kind counts plus "total".
func (s *Server) stats() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(endpointKinds)+1)
	for _, k := range endpointKinds {
		out[k] = s.counts[k]
	}
	out["total"] = s.total
	return out
}

// record logs the arrival of a request and returns a writer that fills in
// its status when the answer starts.
func (s *Server) record(w http.ResponseWriter, r *http.Request, kind string) *statusWriter {
	entry := &Request{Endpoint: kind, Method: r.Method, Path: r.URL.Path, Time: s.now()}
	s.mu.Lock()
	if s.counts == nil {
		s.counts = make(map[string]int)
	}
	s.counts[kind]++
	s.total++
	if len(s.requests) >= maxRequestsKept {
		s.requests = slices.Delete(s.requests, 0, len(s.requests)-maxRequestsKept+1)
	}
	s.requests = append(s.requests, entry)
	s.mu.Unlock()
	return &statusWriter{ResponseWriter: w, server: s, entry: entry}
}

// statusWriter notes the status of a response in its Request entry.
type statusWriter struct {
	http.ResponseWriter
	server  *Server
	entry   *Request
	written bool
}

// WriteHeader records the status, then writes it.
func (w *statusWriter) WriteHeader(code int) {
	if !w.written && code >= 200 {
		w.written = true
		w.server.mu.Lock()
		w.entry.Status = code
		w.server.mu.Unlock()
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write implies status 200 if none was written yet.
func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
