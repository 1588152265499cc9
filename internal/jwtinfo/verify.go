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
	"strconv"
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

// maxDiscoveryBytes bounds an OpenID discovery document: PingOne's is
// about 3 KiB, and the largest providers' stay well under 64 KiB.
const maxDiscoveryBytes = 256 << 10

// KeySetURL returns where issuer publishes its signing keys when it has no
// discovery document: {issuer}/jwks, as PingOne does. The issuer must be a
// usable base URL: HTTPS (or HTTP on loopback), without user info, query or
// fragment.
func KeySetURL(issuer string) (string, error) {
	u, err := netpolicy.ParseBaseURL(issuer)
	if err != nil {
		return "", &UntrustedIssuerError{Issuer: issuer, Reason: err.Error()}
	}
	return u.String() + "/jwks", nil
}

// DiscoveryURL returns issuer's OpenID Provider configuration document,
// {issuer}/.well-known/openid-configuration (OpenID Connect Discovery 1.0
// section 4), under the same rules as KeySetURL.
func DiscoveryURL(issuer string) (string, error) {
	u, err := netpolicy.ParseBaseURL(issuer)
	if err != nil {
		return "", &UntrustedIssuerError{Issuer: issuer, Reason: err.Error()}
	}
	return u.String() + "/.well-known/openid-configuration", nil
}

// FindKeySet finds and fetches issuer's signing keys the standard way: the
// jwks_uri of its OpenID discovery document, or {issuer}/jwks when it has
// none (the document answers 404, or names no jwks_uri). A jwks_uri is
// followed only on the issuer's own host, as the issuer itself is only
// trusted on a configured host: a discovery document cannot send p1ctl
// elsewhere. It returns the keys and where they came from; errors are as
// FetchKeySet's, a *KeySetError for an unusable document.
func FindKeySet(ctx context.Context, hc *http.Client, issuer string) (*jose.JSONWebKeySet, string, error) {
	discoveryURL, err := DiscoveryURL(issuer)
	if err != nil {
		return nil, "", err
	}
	keySetURL, discovered, err := discoverKeySetURL(ctx, hc, issuer, discoveryURL)
	if err != nil {
		return nil, "", err
	}
	keys, err := FetchKeySet(ctx, hc, keySetURL)
	var ke *KeySetError
	if !discovered && errors.As(err, &ke) {
		ke.NoDiscovery = discoveryURL
	}
	return keys, keySetURL, err
}

// discoverKeySetURL reads the jwks_uri of the discovery document at
// discoveryURL; discovered is false when it falls back to {issuer}/jwks.
func discoverKeySetURL(ctx context.Context, hc *http.Client, issuer, discoveryURL string) (keySetURL string, discovered bool, err error) {
	status, data, err := get(ctx, hc, discoveryURL, maxDiscoveryBytes)
	if err != nil {
		return "", false, err
	}
	switch {
	case status == http.StatusNotFound:
		keySetURL, err := KeySetURL(issuer)
		return keySetURL, false, err
	case status != http.StatusOK:
		return "", false, &KeySetError{URL: discoveryURL, Status: status, Discovery: true}
	case data == nil:
		return "", false, &KeySetError{URL: discoveryURL, Err: fmt.Errorf("larger than %d KiB", maxDiscoveryBytes>>10), Discovery: true}
	}
	var doc struct {
		Issuer  *string `json:"issuer"`
		JWKSURI *string `json:"jwks_uri"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return "", false, &KeySetError{URL: discoveryURL, Err: errors.New("not an OpenID discovery document"), Discovery: true}
	}
	// Discovery section 4.3: the document must be the issuer's own.
	if doc.Issuer != nil && strings.TrimSuffix(*doc.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return "", false, &KeySetError{URL: discoveryURL, Err: fmt.Errorf("it names issuer %s, not the token's", quote(*doc.Issuer)), Discovery: true}
	}
	if doc.JWKSURI == nil || *doc.JWKSURI == "" {
		keySetURL, err := KeySetURL(issuer)
		return keySetURL, false, err
	}
	if err := sameHost(*doc.JWKSURI, issuer); err != nil {
		return "", false, &KeySetError{URL: discoveryURL, Err: err, Discovery: true}
	}
	return *doc.JWKSURI, true, nil
}

// sameHost refuses a jwks_uri that p1ctl must not fetch: not an absolute
// URL on the issuer's host (and port), with user info, or a downgrade from
// HTTPS.
func sameHost(jwksURI, issuer string) error {
	iss, err := url.Parse(issuer)
	if err != nil {
		return err
	}
	u, err := url.Parse(jwksURI)
	switch {
	case err != nil || netpolicy.HasControl(jwksURI) || !u.IsAbs() || u.Host == "":
		return fmt.Errorf("its jwks_uri %s is not an absolute URL", quote(jwksURI))
	case !strings.EqualFold(u.Host, iss.Host):
		return fmt.Errorf("its jwks_uri is on %s, not on the issuer's host %s, and p1ctl fetches keys only from the issuer's host", quote(u.Host), iss.Host)
	case u.User != nil:
		return errors.New("its jwks_uri carries a user name")
	case !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, iss.Scheme):
		return fmt.Errorf("its jwks_uri uses %s, not %s", quote(u.Scheme), iss.Scheme)
	}
	return netpolicy.CheckTransport(u)
}

// quote shows a value a server sent, escaped and cut short.
func quote(s string) string {
	const maxLen = 80
	if len(s) > maxLen {
		return strconv.QuoteToGraphic(s[:maxLen]) + "…"
	}
	return strconv.QuoteToGraphic(s)
}

// get fetches rawURL with hc, without credentials, reading at most limit
// bytes of a 200 answer; data is nil when the body is larger. Network
// errors are returned as hc gives them.
func get(ctx context.Context, hc *http.Client, rawURL string, limit int64) (status int, data []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, nil, &KeySetError{URL: rawURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			return 0, nil, urlErr.Err
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, nil
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return 0, nil, err
	}
	if int64(len(data)) > limit {
		return resp.StatusCode, nil, nil
	}
	return resp.StatusCode, data, nil
}

// FetchKeySet gets the JSON Web Key Set at keySetURL with hc. The request
// carries no credentials and no token. An HTTP error or a body that is not
// a key set is a *KeySetError; network errors are returned as hc gives
// them.
func FetchKeySet(ctx context.Context, hc *http.Client, keySetURL string) (*jose.JSONWebKeySet, error) {
	status, data, err := get(ctx, hc, keySetURL, maxKeySetBytes)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, &KeySetError{URL: keySetURL, Status: status}
	}
	if data == nil {
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
