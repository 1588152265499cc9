package jwtinfo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// maxKeySetBytes bounds a key set; PingOne's holds a handful of keys.
const maxKeySetBytes = 1 << 20

// notBeforeLeeway tolerates clocks a little ahead of the issuer's.
const notBeforeLeeway = time.Minute

// CheckIssuer returns an *UntrustedIssuerError unless issuer is an
// absolute URL on the same host (and port) as one of trustedURLs. Only an
// issuer that passes may be asked for keys: a token can name any server as
// its issuer.
func CheckIssuer(issuer string, trustedURLs ...string) error {
	var hosts []string
	for _, t := range trustedURLs {
		if u, err := url.Parse(t); err == nil && u.Host != "" && !slices.Contains(hosts, strings.ToLower(u.Host)) {
			hosts = append(hosts, strings.ToLower(u.Host))
		}
	}
	if issuer == "" {
		return &UntrustedIssuerError{Trusted: hosts}
	}
	u, err := url.Parse(issuer)
	if err == nil && u.Host != "" {
		for _, h := range hosts {
			if strings.EqualFold(u.Host, h) {
				return nil
			}
		}
	}
	return &UntrustedIssuerError{Issuer: issuer, Trusted: hosts}
}

// KeySetURL returns where issuer publishes its signing keys: {issuer}/jwks,
// as PingOne does. The issuer must be a usable base URL: HTTPS (or HTTP on
// loopback), without user info, query or fragment.
func KeySetURL(issuer string) (string, error) {
	u, err := netpolicy.ParseBaseURL(issuer)
	if err != nil {
		return "", &UntrustedIssuerError{Issuer: issuer, Reason: err.Error()}
	}
	return u.String() + "/jwks", nil
}

// FetchKeySet gets the JSON Web Key Set at keySetURL with hc. The request
// carries no credentials and no token. An HTTP error or a body that is not
// a key set is a *KeySetError; network errors are returned as hc gives
// them.
func FetchKeySet(ctx context.Context, hc *http.Client, keySetURL string) (*jose.JSONWebKeySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, keySetURL, nil)
	if err != nil {
		return nil, &KeySetError{URL: keySetURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			return nil, urlErr.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &KeySetError{URL: keySetURL, Status: resp.StatusCode}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxKeySetBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeySetBytes {
		return nil, &KeySetError{URL: keySetURL, Err: fmt.Errorf("larger than %d KiB", maxKeySetBytes>>10)}
	}
	var keys jose.JSONWebKeySet
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, &KeySetError{URL: keySetURL, Err: errors.New("not a JSON Web Key Set")}
	}
	if len(keys.Keys) == 0 {
		return nil, &KeySetError{URL: keySetURL, Err: errors.New("the key set is empty")}
	}
	return &keys, nil
}

// Verify checks t's signature against the key in keys named by its kid
// (every signing key when it has none), then its expiry and not-before
// time at now. It returns the key that verified the signature, or a
// *VerificationError. keySetURL is only used in error messages.
func (t *Token) Verify(keys *jose.JSONWebKeySet, keySetURL string, now time.Time) (*jose.JSONWebKey, error) {
	fail := func(r Reason) *VerificationError {
		return &VerificationError{Reason: r, KeyID: t.Header.KeyID, KeySetURL: keySetURL, At: now, Expiry: t.Expiry, NotBefore: t.NotBefore}
	}
	candidates := keys.Keys
	if t.Header.KeyID != "" {
		candidates = keys.Key(t.Header.KeyID)
		if len(candidates) == 0 {
			return nil, fail(ReasonUnknownKey)
		}
	}
	var used *jose.JSONWebKey
	for i := range candidates {
		k := candidates[i].Public()
		if !k.Valid() || (k.Use != "" && k.Use != "sig") || (k.Algorithm != "" && k.Algorithm != t.Header.Algorithm) {
			continue
		}
		if err := t.jws.Claims(k.Key, new(json.RawMessage)); err == nil {
			used = &k
			break
		}
	}
	if used == nil {
		return nil, fail(ReasonSignature)
	}
	switch {
	case t.Expiry.IsZero():
		return nil, fail(ReasonNoExpiry)
	case t.Expired(now):
		return nil, fail(ReasonExpired)
	case !t.NotBefore.IsZero() && t.NotBefore.After(now.Add(notBeforeLeeway)):
		return nil, fail(ReasonNotYetValid)
	}
	return used, nil
}
