package emulator

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault makes the emulator misbehave on purpose, to test clients' retries,
// timeouts and error handling. Faults are applied, in the order they were
// injected, before normal handling: the first one matching a request is
// used (only one per request). Admin endpoints are never affected.
type Fault struct {
	// Endpoint is the endpoint kind it applies to (EndpointToken, ...);
	// "" matches every request.
	Endpoint string
	// Times is how many matching requests it affects; 0 (or less) means
	// every one of them until Reset.
	Times int
	// Status is the status to answer. 0 means answer normally once Delay has
	// passed (a delay-only fault) unless Body or BodySize is set, in which
	// case it defaults to 200.
	Status int
	// RetryAfter is sent as the Retry-After header if non-empty. For a 429
	// without Body it also fills details[0].innerError.retryAfter.
	RetryAfter string
	// Delay is waited before answering. The wait ends early, with no
	// answer, if the client gives up (request context cancelled).
	Delay time.Duration
	// Body is sent as is (an HTML 502 page, truncated JSON, ...). If empty
	// and Status >= 400, the PingOne-shaped error for Status is sent
	// (429 REQUEST_LIMITED/LIMIT_EXCEEDED, 500 UNEXPECTED_ERROR,
	// 503 SERVICE_UNAVAILABLE, ...).
	Body string
	// ContentType is the Content-Type of the answer. Default:
	// application/json for generated bodies, bodies starting with '{' or
	// '[' and BodySize filler; otherwise sniffed from Body.
	ContentType string
	// BodySize, if positive, streams that many bytes of JSON-looking filler
	// (never valid JSON: it is cut off) instead of Body, without a
	// Content-Length, to test response size limits.
	BodySize int64
	// Location, if set, is sent as the Location header: with a 3xx Status
	// it redirects the client, to test that credentials never follow a
	// redirect to another host or to plain HTTP.
	Location string
}

// activeFault is an injected fault and its remaining uses.
type activeFault struct {
	Fault
	remaining int // meaningful when Times > 0
}

// InjectFault adds a fault. Faults stay until used up (Times) or Reset.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f, remaining: f.Times})
}

// takeFault returns the first fault matching kind, using it up once.
func (s *Server) takeFault(kind string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, af := range s.faults {
		if af.Endpoint != "" && af.Endpoint != kind {
			continue
		}
		if af.Times > 0 {
			af.remaining--
			if af.remaining <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return af.Fault, true
	}
	return Fault{}, false
}

// applyFault applies the first matching fault, if any. It reports whether
// the request has been dealt with (answered, or abandoned by the client).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, kind string) bool {
	f, ok := s.takeFault(kind)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return true
		case <-t.C:
		}
	}
	if f.Status == 0 && f.Body == "" && f.BodySize <= 0 {
		return false
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	if f.RetryAfter != "" {
		h.Set("Retry-After", f.RetryAfter)
	}
	if f.Location != "" {
		h.Set("Location", f.Location)
	}
	switch {
	case f.BodySize > 0:
		h.Set("Content-Type", orDefault(f.ContentType, jsonContentType))
		w.WriteHeader(status)
		writeFiller(w, f.BodySize)
	case f.Body != "":
		ct := f.ContentType
		if ct == "" {
			ct = sniffContentType(f.Body)
		}
		writeRaw(w, status, ct, []byte(f.Body))
	case status >= 400:
		body := marshalJSON(statusError(correlationID(w), status, f.RetryAfter, s.now()))
		writeRaw(w, status, orDefault(f.ContentType, jsonContentType), body)
	default:
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		w.WriteHeader(status)
	}
	return true
}

// sniffContentType guesses the type of a fault body.
func sniffContentType(body string) string {
	trimmed := strings.TrimSpace(body)
	if strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") {
		return jsonContentType
	}
	return http.DetectContentType([]byte(body))
}

// writeFiller streams n bytes that start like a JSON document and never
// end it.
func writeFiller(w io.Writer, n int64) {
	const prefix = `{"_embedded":{"filler":"`
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 2048) // 32 KiB
	if n <= int64(len(prefix)) {
		_, _ = io.WriteString(w, prefix[:n])
		return
	}
	if _, err := io.WriteString(w, prefix); err != nil {
		return
	}
	for left := n - int64(len(prefix)); left > 0; {
		c := chunk
		if left < int64(len(c)) {
			c = c[:left]
		}
		if _, err := w.Write(c); err != nil {
			return // client stopped reading
		}
		left -= int64(len(c))
	}
}

// orDefault returns s, or def if s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
