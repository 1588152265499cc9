package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// apiError is the body of a management API error.
type apiError struct {
	ID      string           `json:"id"`
	Code    string           `json:"code"`
	Message string           `json:"message"`
	Details []apiErrorDetail `json:"details,omitempty"`
}

// apiErrorDetail is one entry of apiError.Details.
type apiErrorDetail struct {
	Code       string         `json:"code"`
	Target     string         `json:"target,omitempty"`
	Message    string         `json:"message"`
	InnerError map[string]any `json:"innerError,omitempty"`
}

// oauthError is the body of a token endpoint error (RFC 6749, section 5.2).
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// Messages PingOne uses.
const (
	msgNotFound      = "The requested resource was not found."
	msgInvalidData   = "The request could not be completed. One or more validation errors were in the request."
	msgAccessFailed  = "The request could not be completed. You do not have access to this resource."
	msgInvalidToken  = "The access token provided is invalid or has expired."
	msgNoPermission  = "You do not have the required permissions to perform this action."
	msgUnexpected    = "An unexpected error occurred."
	msgRateLimited   = "The request could not be completed. The request was rate limited."
	msgLimitExceeded = "The number of requests exceeded the rate limit. Retry later."
	msgUnavailable   = "The service is temporarily unavailable. Retry later."
)

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRaw(w, status, jsonContentType, marshalJSON(v))
}

// marshalJSON encodes v as PingOne does: UTF-8 kept as is, no HTML
// escaping, newline-terminated.
func marshalJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only reachable with a programming error: every value encoded
		// here is built from JSON-safe types.
		return []byte(`{"code":"UNEXPECTED_ERROR","message":"` + msgUnexpected + `"}` + "\n")
	}
	return buf.Bytes()
}

// writeRaw answers status with body as is.
func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeAPIError answers a management-API-shaped error whose id is the
// response's correlation ID.
func writeAPIError(w http.ResponseWriter, status int, code, message string, details ...apiErrorDetail) {
	writeJSON(w, status, apiError{
		ID:      correlationID(w),
		Code:    code,
		Message: message,
		Details: details,
	})
}

// writeInvalidData answers 400 INVALID_DATA about one request field.
func writeInvalidData(w http.ResponseWriter, target, message string) {
	writeAPIError(w, http.StatusBadRequest, "INVALID_DATA", msgInvalidData,
		apiErrorDetail{Code: "INVALID_VALUE", Target: target, Message: message})
}

// writeInvalidToken answers 401 for a missing, invalid, expired or revoked
// bearer token.
func writeInvalidToken(w http.ResponseWriter, missing bool) {
	challenge := `Bearer realm="PingOne"`
	if !missing {
		challenge += `, error="invalid_token", error_description="` + msgInvalidToken + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	writeAPIError(w, http.StatusUnauthorized, "ACCESS_FAILED", msgAccessFailed,
		apiErrorDetail{Code: "INVALID_TOKEN", Message: msgInvalidToken})
}

// writeForbidden answers 403 for a caller lacking a permission.
func writeForbidden(w http.ResponseWriter) {
	writeAPIError(w, http.StatusForbidden, "ACCESS_FAILED", msgAccessFailed,
		apiErrorDetail{Code: "INSUFFICIENT_PERMISSIONS", Message: msgNoPermission})
}

// writeOAuthError answers a token endpoint error. invalid_client
// descriptions end with the correlation ID, as PingOne's do.
func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	if code == "invalid_client" {
		description = fmt.Sprintf("%s (Correlation ID: %s)", description, correlationID(w))
	}
	noStore(w)
	writeJSON(w, status, oauthError{Error: code, ErrorDescription: description})
}

// noStore marks a token endpoint response as not cacheable.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// correlationID returns the response's correlation ID, making one if the
// request did not get one yet.
func correlationID(w http.ResponseWriter) string {
	id := w.Header().Get(correlationHeader)
	if id == "" {
		id = newUUID()
		w.Header().Set(correlationHeader, id)
	}
	return id
}

// statusError returns the PingOne-shaped body for an error status, used by
// faults that give no body of their own. A 429's innerError.retryAfter is
// the time to retry at (Ping's schema: a date-time), now plus the
// Retry-After seconds.
func statusError(id string, status int, retryAfter string, now time.Time) apiError {
	e := apiError{ID: id}
	switch status {
	case http.StatusBadRequest:
		e.Code, e.Message = "INVALID_DATA", msgInvalidData
	case http.StatusUnauthorized:
		e.Code, e.Message = "ACCESS_FAILED", msgAccessFailed
		e.Details = []apiErrorDetail{{Code: "INVALID_TOKEN", Message: msgInvalidToken}}
	case http.StatusForbidden:
		e.Code, e.Message = "ACCESS_FAILED", msgAccessFailed
		e.Details = []apiErrorDetail{{Code: "INSUFFICIENT_PERMISSIONS", Message: msgNoPermission}}
	case http.StatusNotFound:
		e.Code, e.Message = "NOT_FOUND", msgNotFound
	case http.StatusTooManyRequests:
		e.Code, e.Message = "REQUEST_LIMITED", msgRateLimited
		d := apiErrorDetail{Code: "LIMIT_EXCEEDED", Message: msgLimitExceeded}
		if secs, err := strconv.ParseFloat(retryAfter, 64); err == nil && secs >= 0 {
			at := now.Add(time.Duration(secs * float64(time.Second)))
			d.InnerError = map[string]any{"retryAfter": at.UTC().Format(time.RFC3339Nano)}
		}
		e.Details = []apiErrorDetail{d}
	case http.StatusServiceUnavailable:
		e.Code, e.Message = "SERVICE_UNAVAILABLE", msgUnavailable
	case http.StatusInternalServerError:
		e.Code, e.Message = "UNEXPECTED_ERROR", msgUnexpected
	default:
		e.Message = http.StatusText(status)
		if e.Message == "" {
			e.Message = fmt.Sprintf("HTTP status %d", status)
		}
		if status < 500 {
			e.Code = "REQUEST_FAILED"
		} else {
			e.Code = "UNEXPECTED_ERROR"
		}
	}
	return e
}
