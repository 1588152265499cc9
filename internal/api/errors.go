package api

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// Error is an error answer from the PingOne management API.
type Error struct {
	// Status is the HTTP status.
	Status int
	// Method and URL identify the request.
	Method string
	URL    string
	// Code and Message are PingOne's top-level code (e.g. NOT_FOUND,
	// ACCESS_FAILED) and message.
	Code    string
	Message string
	// CorrelationID is PingOne's id for the request, for support tickets.
	CorrelationID string
	// Details are PingOne's detail entries.
	Details []ErrorDetail
	// RetryAfter is the Retry-After header, if sent.
	RetryAfter string
	// Snippet is the start of a body that was not a PingOne error
	// (an HTML page from a proxy, say), sanitised for printing.
	Snippet string
	// NewToken is set when Client.Do had discarded a token the API host
	// answered 401 to and this answer is to the newly fetched token sent
	// in its place: clearing the token cache will not help.
	NewToken bool
	// OtherHost is set when the request went to a host other than the
	// client's API host (an absolute URL): Client.Do then kept the token
	// and did not retry.
	OtherHost bool
}

// ErrorDetail is one entry of a PingOne error's details.
type ErrorDetail struct {
	Code       string         `json:"code"`
	Target     string         `json:"target,omitempty"`
	Message    string         `json:"message"`
	InnerError map[string]any `json:"innerError,omitempty"`
}

// DetailCode returns the first detail's code, e.g. INSUFFICIENT_PERMISSIONS.
func (e *Error) DetailCode() string {
	if len(e.Details) == 0 {
		return ""
	}
	return e.Details[0].Code
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if dc := e.DetailCode(); dc != "" {
		b.WriteString("/" + dc)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.Details) > 0 && e.Details[0].Message != "" && e.Details[0].Message != e.Message {
		b.WriteString(" (" + e.Details[0].Message + ")")
	}
	if e.Snippet != "" {
		b.WriteString("; body starts: " + e.Snippet)
	}
	if e.CorrelationID != "" {
		b.WriteString(" [correlation ID " + e.CorrelationID + "]")
	}
	return b.String()
}

// ParseError builds an *Error from a non-2xx response and its body; r
// masks the excerpt of a body that is not a PingOne error.
func ParseError(resp *Response, body []byte, r *redact.Redactor) *Error {
	e := &Error{Status: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After"), NewToken: resp.NewToken, OtherHost: resp.OtherHost}
	if resp.Request != nil {
		e.Method, e.URL = resp.Request.Method, resp.Request.URL.String()
	}
	var wire struct {
		ID      string        `json:"id"`
		Code    string        `json:"code"`
		Message string        `json:"message"`
		Details []ErrorDetail `json:"details"`
	}
	if err := json.Unmarshal(body, &wire); err == nil && (wire.Code != "" || wire.Message != "") {
		e.Code, e.Message, e.CorrelationID, e.Details = wire.Code, wire.Message, wire.ID, wire.Details
	} else if len(body) > 0 {
		e.Snippet = Snippet(r, body)
	}
	if e.CorrelationID == "" {
		e.CorrelationID = resp.Header.Get("Correlation-Id")
	}
	return e
}

// Snippet returns the start of body on one line, masked by r, for an
// error message.
func Snippet(r *redact.Redactor, body []byte) string { return httpx.Snippet(r, body) }
