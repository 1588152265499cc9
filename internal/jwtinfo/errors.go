package jwtinfo

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// MalformedError is a token that cannot be decoded: not a JWT (an opaque
// token, a truncated paste), signed with an algorithm outside Algorithms,
// or without a JSON object of claims.
type MalformedError struct {
	// Problem says what is wrong, e.g. "the token is not a JWT".
	Problem string
	// Err is the parser's reason, if any.
	Err error
	// Hint says what to do instead; "" for the default, which explains
	// what a JWT access token looks like.
	Hint string
}

func (e *MalformedError) Error() string {
	msg := e.Problem
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	hint := e.Hint
	if hint == "" {
		hint = "pass a JWT access token such as PingOne's (three base64url parts separated by dots, starting with eyJ); an opaque token can only be checked by its issuer"
	}
	return msg + ": " + hint
}

func (e *MalformedError) Unwrap() error { return e.Err }

// Reason says why a token failed verification.
type Reason int

// The reasons a token fails verification.
const (
	// ReasonSignature: no key of the issuer verifies the signature, so the
	// token was altered or issued by someone else.
	ReasonSignature Reason = iota + 1
	// ReasonUnknownKey: the issuer publishes no key with the token's kid.
	ReasonUnknownKey
	// ReasonExpired: the token's expiry has passed.
	ReasonExpired
	// ReasonNotYetValid: the token's nbf is in the future.
	ReasonNotYetValid
	// ReasonNoExpiry: the token has no exp claim, so it cannot be checked.
	ReasonNoExpiry
	// ReasonNoIssuer: the token has no iss claim, so there is no issuer
	// whose keys could verify it.
	ReasonNoIssuer
)

// VerificationError is a token that does not verify: a bad signature, an
// unknown key, or a time outside its validity.
type VerificationError struct {
	Reason Reason
	// KeyID is the token's kid.
	KeyID string
	// KeySetURL is where the issuer's keys came from.
	KeySetURL string
	// At is the time the token was checked at; Expiry and NotBefore are
	// the token's.
	At        time.Time
	Expiry    time.Time
	NotBefore time.Time
}

const newTokenHint = "get a new one with p1ctl token get"

func (e *VerificationError) Error() string {
	switch e.Reason {
	case ReasonSignature:
		key := "no key"
		if e.KeyID != "" {
			key = fmt.Sprintf("the key %q", e.KeyID)
		}
		return fmt.Sprintf("the token's signature does not verify with %s from %s: the token was altered or was not issued by that issuer; %s", key, e.KeySetURL, newTokenHint)
	case ReasonUnknownKey:
		return fmt.Sprintf("the issuer publishes no key with ID %q at %s: the token was not issued there, or its key has been rotated out; %s", e.KeyID, e.KeySetURL, newTokenHint)
	case ReasonExpired:
		return fmt.Sprintf("the token expired %s ago (at %s): %s", FormatDuration(e.At.Sub(e.Expiry)), e.Expiry.UTC().Format(time.RFC3339), newTokenHint)
	case ReasonNotYetValid:
		return fmt.Sprintf("the token is not valid before %s (in %s): check this machine's clock", e.NotBefore.UTC().Format(time.RFC3339), FormatDuration(e.NotBefore.Sub(e.At)))
	case ReasonNoExpiry:
		return "the token has no expiry (exp claim), so it cannot be verified: access tokens must expire; check where it came from"
	case ReasonNoIssuer:
		return "the token names no issuer (iss claim), so there are no keys to verify it with: PingOne's tokens always name one; check where it came from"
	}
	return "the token does not verify"
}

// KeySetError is an issuer key set (JWKS) that could not be used: an HTTP
// error, or a body that is not a key set; or a discovery document that
// could not be used to find it. Network failures are returned as they are.
type KeySetError struct {
	URL string
	// Status is the HTTP status, or 0 when the answer could not be read.
	Status int
	Err    error
	// Discovery is set when URL is the issuer's OpenID discovery document
	// rather than its key set.
	Discovery bool
	// NoDiscovery is the discovery document that answered 404 before the
	// key set at URL was tried, if one did.
	NoDiscovery string
}

// NotFound reports whether the issuer publishes no keys where they were
// looked for: a permanent answer, unlike a server error.
func (e *KeySetError) NotFound() bool { return e.Status == http.StatusNotFound }

func (e *KeySetError) Error() string {
	what := "signing keys"
	if e.Discovery {
		what = "OpenID discovery document"
	}
	switch {
	case e.NotFound() && e.NoDiscovery != "":
		return fmt.Sprintf("the issuer publishes neither an OpenID discovery document at %s nor signing keys at %s (HTTP 404), so the token cannot be verified: check that its issuer (iss) is the one you expect (for PingOne, that the environment still exists)", e.NoDiscovery, e.URL)
	case e.NotFound():
		return fmt.Sprintf("the issuer publishes no signing keys at %s (HTTP 404), so the token cannot be verified: check that its issuer (iss) is the one you expect (for PingOne, that the environment still exists)", e.URL)
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return fmt.Sprintf("cannot get the issuer's %s from %s (HTTP %d): try again later", what, e.URL, e.Status)
	}
	why := "no usable keys"
	switch {
	case e.Status != 0 && e.Status != http.StatusOK:
		why = fmt.Sprintf("HTTP %d", e.Status)
	case e.Err != nil:
		why = e.Err.Error()
	}
	return fmt.Sprintf("cannot get the issuer's %s from %s (%s): check that the token's issuer (iss) is a PingOne environment's issuer or an OpenID provider that publishes its keys on its own host", what, e.URL, why)
}

func (e *KeySetError) Unwrap() error { return e.Err }

// UntrustedIssuerError is an issuer whose host is not one the caller
// trusts: its keys must not be fetched, since anyone can mint a token
// naming their own server as issuer.
type UntrustedIssuerError struct {
	Issuer string
	// Trusted are the hosts that would have been accepted.
	Trusted []string
	// Reason, when set, says why the issuer is refused other than its host.
	Reason string
}

func (e *UntrustedIssuerError) Error() string {
	if e.Issuer == "" {
		return "the token names no issuer (iss claim), so there are no keys to verify it with"
	}
	if e.Reason != "" {
		return fmt.Sprintf("refusing to fetch signing keys from the token's issuer %s: %s", e.Issuer, e.Reason)
	}
	return fmt.Sprintf("refusing to fetch signing keys from the token's issuer %s: its host is not the configured auth host (%s)", e.Issuer, strings.Join(e.Trusted, ", "))
}
