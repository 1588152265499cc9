// Package auth obtains PingOne access tokens with the OAuth 2.0
// client-credentials grant, built on golang.org/x/oauth2/clientcredentials.
// It supports every client authentication method PingOne offers and knows
// nothing of the command line.
package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// Token is an access token with what p1ctl reports about it.
type Token struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	Scope       string    `json:"scope,omitempty"`
	Expiry      time.Time `json:"expires_at"`
}

// ExpiresIn is the token's remaining lifetime at now, never negative.
func (t *Token) ExpiresIn(now time.Time) time.Duration {
	return max(t.Expiry.Sub(now), 0)
}

// Valid reports whether the token is usable for at least minTTL from now.
func (t *Token) Valid(now time.Time, minTTL time.Duration) bool {
	return t != nil && t.AccessToken != "" && t.Expiry.Sub(now) >= minTTL
}

// Client requests tokens from one token endpoint for one client.
type Client struct {
	// TokenURL is the token endpoint.
	TokenURL string
	// ClientID and ClientSecret identify the worker application.
	ClientID     string
	ClientSecret string
	// Method is one of config.AuthMethods; empty means client_secret_basic.
	Method string
	// Signer makes client assertions for client_secret_jwt and
	// private_key_jwt; see NewAssertionSigner.
	Signer *AssertionSigner
	// Scopes are requested scopes; none asks for the client's defaults.
	Scopes []string
	// HTTPClient sends the requests.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Redactor masks what errors quote of unexpected answers; nil masks
	// only by pattern.
	Redactor *redact.Redactor
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Fetch requests a new access token. It retries after a transient failure
// with the HTTP client's policy (see httpx.RetryOf), and follows a 307 or
// 308 redirect, itself rather than in the transport, so that every attempt
// carries a newly signed client assertion: a server may refuse an
// assertion whose jti it has already seen, as PingOne may.
func (c *Client) Fetch(ctx context.Context) (*Token, error) {
	cc := &clientcredentials.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		TokenURL:     c.TokenURL,
		Scopes:       c.Scopes,
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	sign := false // with a client assertion, signed anew for each attempt
	switch c.Method {
	case "", config.AuthClientSecretBasic:
	case config.AuthClientSecretPost:
		cc.AuthStyle = oauth2.AuthStyleInParams
	case config.AuthClientSecretJWT, config.AuthPrivateKeyJWT:
		if c.Signer == nil {
			return nil, fmt.Errorf("auth method %s needs an assertion signer", c.Method)
		}
		cc.AuthStyle = oauth2.AuthStyleInParams
		cc.ClientSecret = ""
		sign = true
	default:
		return nil, fmt.Errorf("unknown auth method %q", c.Method)
	}
	hc := http.DefaultClient
	if c.HTTPClient != nil {
		hc = c.HTTPClient
	}
	retry := httpx.RetryOf(hc)
	redirects := &redirectStop{check: hc.CheckRedirect}
	for attempt := 0; ; {
		if sign {
			assertion, err := c.Signer.Sign(c.ClientID, c.TokenURL, c.now())
			if err != nil {
				return nil, err
			}
			cc.EndpointParams = url.Values{"client_assertion_type": {AssertionType}, "client_assertion": {assertion}}
		}
		tok, err := c.fetchOnce(ctx, cc, hc, redirects)
		var re *oauth2.RetrieveError
		var sendErr *url.Error // the exchange failed before any answer
		var answer *http.Response
		switch {
		case errors.As(err, &re):
			if redirects.next != "" {
				cc.TokenURL, redirects.next = redirects.next, ""
				continue
			}
			copied := *re.Response
			copied.Body = io.NopCloser(bytes.NewReader(re.Body))
			answer, err = &copied, nil
		case !errors.As(err, &sendErr):
			return tok, err
		}
		host := ""
		if u, perr := url.Parse(cc.TokenURL); perr == nil {
			host = u.Host
		}
		again, waitErr := retry.Wait(ctx, host, attempt, answer, err)
		switch {
		case waitErr != nil:
			return nil, waitErr
		case again:
			attempt++
		case re != nil:
			return nil, c.rejected(re)
		default:
			return nil, err
		}
	}
}

// fetchOnce sends one token request (following no redirect: see
// redirectStop). It returns an *oauth2.RetrieveError as is, for Fetch to
// retry or report.
func (c *Client) fetchOnce(ctx context.Context, cc *clientcredentials.Config, hc *http.Client, redirects *redirectStop) (*Token, error) {
	answer := &answerTransport{base: hc.Transport}
	if answer.base == nil {
		answer.base = http.DefaultTransport
	}
	once := *hc
	once.Transport = answer
	once.CheckRedirect = redirects.stop
	started := c.now()
	tok, err := cc.Token(httpx.SendOnce(context.WithValue(ctx, oauth2.HTTPClient, &once)))
	if answer.tooLarge && (err == nil || answer.status/100 == 2) {
		return nil, &httpx.TooLargeError{Host: answer.host, Limit: maxTokenAnswer}
	}
	if err != nil {
		return nil, c.wrapError(ctx, err, answer)
	}
	if err := checkToken(tok.AccessToken, tok.TokenType); err != nil {
		return nil, &ResponseError{TokenURL: c.TokenURL, Err: err}
	}
	t := &Token{AccessToken: tok.AccessToken, TokenType: bearer}
	if s, ok := tok.Extra("scope").(string); ok {
		t.Scope = s
	}
	t.Expiry = started.Add(lifetime(tok)).UTC().Truncate(time.Second)
	return t, nil
}

// bearer is the one token type p1ctl uses, spelled as RFC 6750 does.
const bearer = "Bearer"

// checkToken refuses a token p1ctl must neither use nor print nor cache: an
// access token outside RFC 6750's b64token syntax (it goes into an
// Authorization header and onto terminals; a CR, LF or escape sequence
// would be sent or interpreted as is), or a token type other than Bearer,
// which RFC 6749 section 7.1 forbids a client to use when it does not
// understand it. A missing token_type is refused too: RFC 6749 section 5.1
// requires it, and PingOne, Hydra and oidc-provider always send it. The
// errors never quote the token. The cache also reads only tokens that
// pass, so an entry stored before this check, or edited, is replaced.
func checkToken(accessToken, tokenType string) error {
	if accessToken == "" {
		return errors.New("the access_token is empty")
	}
	if i := invalidB64Token(accessToken); i >= 0 {
		return fmt.Errorf("the access_token is not an RFC 6750 bearer token (byte %#02x at offset %d is not allowed), so p1ctl neither prints nor uses it", accessToken[i], i)
	}
	switch {
	case strings.EqualFold(tokenType, bearer):
		return nil
	case tokenType == "":
		return errors.New("the answer has no token_type, which RFC 6749 requires; p1ctl uses only Bearer tokens")
	default:
		return fmt.Errorf("the token_type is %s, not Bearer; p1ctl uses only Bearer tokens (RFC 6749 section 7.1)", quoteShort(tokenType))
	}
}

// invalidB64Token returns the offset of the first byte of s that breaks
// RFC 6750's b64token syntax, 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" /
// "+" / "/" ) *"=", or -1 when s follows it.
func invalidB64Token(s string) int {
	if s != "" && s[0] == '=' {
		return 0
	}
	padding := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=':
			padding = true
		case padding:
			return i
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', strings.IndexByte("-._~+/", c) >= 0:
		default:
			return i
		}
	}
	return -1
}

// quoteShort quotes a server's value for a message: escaped, so that no
// control character reaches a terminal, and cut short.
func quoteShort(s string) string {
	const maxLen = 40
	if len(s) > maxLen {
		return strconv.QuoteToASCII(s[:maxLen]) + "…"
	}
	return strconv.QuoteToASCII(s)
}

// maxTokenLifetime bounds the lifetime p1ctl believes a token has. PingOne
// issues tokens for at most 30 days (custom resources; worker tokens live an
// hour); a larger expires_in is capped rather than trusted.
const maxTokenLifetime = 30 * 24 * time.Hour

// defaultTokenLifetime is assumed when the answer has no usable
// expires_in: PingOne always sends one, and its worker tokens live an hour.
// Assuming it beats treating the token as eternal or as already expired;
// should PingOne refuse the token sooner, the 401 retry fetches a new one.
const defaultTokenLifetime = time.Hour

// lifetime is the token's expires_in, capped at maxTokenLifetime, and
// defaultTokenLifetime when it is missing or not positive. oauth2 turns
// expires_in into Expiry with the real clock as it reads the answer (its
// clientcredentials package does not keep Token.ExpiresIn); read back at
// once and rounded to whole seconds, that is expires_in again, which the
// caller counts from the moment of the request with the client's clock.
func lifetime(tok *oauth2.Token) time.Duration {
	if tok.Expiry.IsZero() {
		return defaultTokenLifetime
	}
	d := time.Until(tok.Expiry).Round(time.Second)
	switch {
	case d < time.Second:
		return defaultTokenLifetime
	case d > maxTokenLifetime:
		return maxTokenLifetime
	default:
		return d
	}
}

// RejectedError is the token endpoint refusing the request: an OAuth error
// such as invalid_client, or any other non-2xx answer.
type RejectedError struct {
	TokenURL string
	// Method is the client authentication method that was refused.
	Method string
	// Status is the HTTP status.
	Status int
	// Code and Description are the OAuth error and error_description, when sent.
	Code        string
	Description string
	// PingOne management-API-style body fields, when sent instead (PingOne
	// answers an unknown environment this way).
	PingOneCode   string
	PingOneDetail string
	// CorrelationID is PingOne's id for the request, for support tickets:
	// the PingOne body's id, the "(Correlation ID: …)" PingOne ends an
	// error_description with (cut from Description), or the Correlation-Id
	// header.
	CorrelationID string
	// RetryAfter is the Retry-After header, when sent.
	RetryAfter string
	// Snippet is the start of a body that was neither an OAuth nor a
	// PingOne error (an HTML page from a proxy, say).
	Snippet string
}

func (e *RejectedError) Error() string { return "token request rejected (" + e.Detail() + ")" }

// Detail is what the server said: status, error code, description and
// correlation ID, e.g. "HTTP 401 invalid_client: Request denied: ...".
func (e *RejectedError) Detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	switch {
	case e.Code != "":
		b.WriteString(" " + e.Code)
		if e.Description != "" {
			b.WriteString(": " + e.Description)
		}
	case e.PingOneCode != "":
		b.WriteString(" " + e.PingOneCode)
		if e.PingOneDetail != "" {
			b.WriteString(": " + e.PingOneDetail)
		}
	case e.Snippet != "":
		b.WriteString("; body starts: " + e.Snippet)
	}
	// The form api.Error uses: one way to spot the ID in any message.
	if e.CorrelationID != "" {
		b.WriteString(" [correlation ID " + e.CorrelationID + "]")
	}
	return b.String()
}

// ClientRejected reports whether the server refused the client's
// credentials, as opposed to being unavailable or not finding the
// environment.
func (e *RejectedError) ClientRejected() bool {
	switch e.Code {
	case "invalid_client", "unauthorized_client", "access_denied":
		return true
	}
	return e.Status == http.StatusUnauthorized
}

// Server names who answered, for messages: "PingOne" when the token URL is
// on one of PingOne's regional auth hosts, and "the token endpoint at
// <host>" otherwise (a custom domain, or another authorization server such
// as Hydra), so that a message never blames PingOne for another server.
func (e *RejectedError) Server() string {
	u, err := url.Parse(e.TokenURL)
	if err != nil || u.Host == "" {
		return "the token endpoint"
	}
	if _, ok := config.RegionForHost(u.Hostname()); ok {
		return "PingOne"
	}
	return "the token endpoint at " + u.Host
}

// KeyRefused reports whether a private_key_jwt client's key was refused,
// rather than anything about a secret: any refusal of the client (PingOne
// and oidc-provider say no more than invalid_client), or an invalid_request
// about the assertion's key, signature or algorithm (Hydra answers an
// unknown kid so). It is false when the server says the client is
// registered for another method; see RegisteredMethod.
func (e *RejectedError) KeyRefused() bool {
	if e.Method != config.AuthPrivateKeyJWT || e.RegisteredMethod() != "" {
		return false
	}
	if e.ClientRejected() {
		return true
	}
	d := strings.ToLower(e.Description)
	return e.Code == "invalid_request" && (strings.Contains(d, "kid") || strings.Contains(d, "key") ||
		strings.Contains(d, "signature") || strings.Contains(d, "client_assertion") || strings.Contains(d, "algorithm"))
}

// RegisteredMethod returns the client authentication method the server's
// description says the client is registered for, when that is not the
// method in use: Hydra names both ("supports client authentication method
// 'private_key_jwt', but method 'client_secret_basic' was requested"),
// PingOne and oidc-provider name neither, and then it is "".
func (e *RejectedError) RegisteredMethod() string {
	if !e.ClientRejected() {
		return ""
	}
	used := e.Method
	if used == "" {
		used = config.AuthClientSecretBasic
	}
	d := strings.ToLower(e.Description)
	found := ""
	for _, m := range config.AuthMethods {
		if m == used || !strings.Contains(d, m) {
			continue
		}
		if found != "" {
			return "" // several: the description does not say which
		}
		found = m
	}
	return found
}

// ResponseError is a token endpoint answer p1ctl cannot use: not JSON, or
// JSON without an access token.
type ResponseError struct {
	TokenURL string
	Err      error
}

func (e *ResponseError) Error() string {
	return "unusable answer from the token endpoint: " + e.Err.Error()
}

func (e *ResponseError) Unwrap() error { return e.Err }

// wrapError types a failed token request from what answer recorded of
// it: the oauth2 package reports the error that ended reading the answer
// as text only, so a timeout or a broken connection is taken from answer
// instead and not mistaken for an unusable answer.
func (c *Client) wrapError(ctx context.Context, err error, answer *answerTransport) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re // for Fetch to retry or report
	}
	if answer.readErr != nil {
		err = fmt.Errorf("reading the answer of the token endpoint: %w", answer.readErr)
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		// Cancelled or out of time, whatever the error says.
		return fmt.Errorf("%w: %w", ctxErr, err)
	}
	var sendErr *url.Error // from http.Client: no answer came
	if answer.readErr != nil || errors.As(err, &sendErr) {
		return err
	}
	// A 2xx answer oauth2 found no token in: the facts of the answer say
	// more than the parser's complaint (a captive portal's page, say).
	what := "the body is empty"
	if len(answer.head) > 0 {
		what = "body starts: " + httpx.Snippet(c.Redactor, answer.head)
	}
	return &ResponseError{TokenURL: c.TokenURL, Err: fmt.Errorf("HTTP %d answer with Content-Type %s holds no access token; %s", answer.status, quoteShort(answer.contentType), what)}
}

// rejected turns the token endpoint's refusal into a *RejectedError.
func (c *Client) rejected(re *oauth2.RetrieveError) *RejectedError {
	rej := &RejectedError{TokenURL: c.TokenURL, Method: c.Method, Code: re.ErrorCode, Description: re.ErrorDescription}
	if re.Response != nil {
		rej.Status = re.Response.StatusCode
		rej.RetryAfter = re.Response.Header.Get("Retry-After")
		rej.CorrelationID = re.Response.Header.Get("Correlation-Id")
	}
	if desc, id, ok := cutCorrelationID(rej.Description); ok {
		rej.Description, rej.CorrelationID = desc, id
	}
	if rej.Code == "" {
		var body struct {
			ID      string `json:"id"`
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(re.Body, &body) == nil && (body.Code != "" || body.Message != "") {
			rej.PingOneCode, rej.PingOneDetail = body.Code, body.Message
			if body.ID != "" {
				rej.CorrelationID = body.ID
			}
		} else {
			rej.Snippet = httpx.Snippet(c.Redactor, re.Body)
		}
	}
	return rej
}

// cutCorrelationID splits PingOne's "... (Correlation ID: ID)" description
// into the text before it and ID.
func cutCorrelationID(desc string) (rest, id string, ok bool) {
	const marker = " (Correlation ID: "
	i := strings.LastIndex(desc, marker)
	if i < 0 || !strings.HasSuffix(desc, ")") {
		return desc, "", false
	}
	id = strings.TrimSpace(desc[i+len(marker) : len(desc)-1])
	if id == "" || strings.ContainsAny(id, "() ") {
		return desc, "", false
	}
	return desc[:i], id, true
}
