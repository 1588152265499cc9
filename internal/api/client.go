// Package api is a client for the PingOne management API: one request path
// that adds the bearer token and turns PingOne's error bodies into *Error,
// and typed resources on top of it.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/p1ctl/p1ctl/internal/redact"
)

// TokenSource supplies bearer tokens for API requests.
type TokenSource interface {
	// AccessToken returns a token to send.
	AccessToken(ctx context.Context) (string, error)
	// Invalidate tells the source that PingOne refused token (revoked before
	// its expiry, say), so it must not hand it out again. An error means no
	// new token could be had; the request is then not retried.
	Invalidate(ctx context.Context, token string) error
}

// Client calls the PingOne management API.
type Client struct {
	// BaseURL is the API base including /v1, e.g. https://api.pingone.eu/v1.
	BaseURL string
	// HTTP sends the requests.
	HTTP *http.Client
	// Tokens supplies the bearer token.
	Tokens TokenSource
	// Redactor masks what errors quote of unexpected answers; nil masks
	// only by pattern.
	Redactor *redact.Redactor
}

// Request is one management API call.
type Request struct {
	Method string
	// Path is relative to BaseURL ("/environments/ID") or an absolute URL.
	Path   string
	Header http.Header
	// Body is sent as is; it must be replayable, so it is a byte slice.
	Body []byte
}

// URL resolves a path against the base URL.
func (c *Client) URL(path string) string {
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		return path
	}
	return strings.TrimSuffix(c.BaseURL, "/") + "/" + strings.TrimPrefix(path, "/")
}

// Response is an answer from Do, with what Do knows of the token it answered.
type Response struct {
	*http.Response
	// NewToken reports that the API host refused the first token and this
	// answers a newly fetched one.
	NewToken bool
	// OtherHost reports that the request went to a host other than the
	// API's, whose 401 did not replace the token.
	OtherHost bool
}

// Do sends r with a bearer token and returns the response whatever its
// status. If the management API (BaseURL's scheme, host and port) answers
// 401 it discards the token, fetches a new one and tries once more: a
// cached token may have been revoked early. A 401 from any other host (an
// absolute URL in r.Path) is returned as is: that host's opinion of a
// PingOne token says nothing about the cached one.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	resp, req, token, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusUnauthorized {
		return &Response{Response: resp}, nil
	}
	if !c.isAPIHost(req.URL) {
		return &Response{Response: resp, OtherHost: true}, nil
	}
	drain(resp)
	if err := c.Tokens.Invalidate(ctx, token); err != nil {
		return nil, err
	}
	resp, _, retryToken, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	return &Response{Response: resp, NewToken: retryToken != token}, nil
}

// isAPIHost reports whether u has the scheme, host and port of BaseURL,
// ignoring case and default ports.
func (c *Client) isAPIHost(u *url.URL) bool {
	base, err := url.Parse(c.BaseURL)
	if err != nil || base.Host == "" {
		return false
	}
	return sameOrigin(u, base)
}

// send makes one request with the source's current token. The response's
// Request is never nil: the request sent if the transport left it unset.
func (c *Client) send(ctx context.Context, r Request) (*http.Response, *http.Request, string, error) {
	token, err := c.Tokens.AccessToken(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL(r.Path), body)
	if err != nil {
		return nil, nil, "", err
	}
	for name, values := range r.Header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if r.Body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, nil, "", err
	}
	if resp.Request == nil {
		resp.Request = req
	}
	return resp, req, token, nil
}

// call sends r and returns a successful answer's body; an error answer
// becomes an *Error.
func (c *Client) call(ctx context.Context, r Request) (*Response, []byte, error) {
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the answer to %s %s: %w", r.Method, c.URL(r.Path), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, ParseError(resp, body, c.Redactor)
	}
	return resp, body, nil
}

// GetJSON fetches path and decodes a successful JSON answer into v. It also
// returns the raw body, so callers can print exactly what PingOne sent.
func (c *Client) GetJSON(ctx context.Context, path string, v any) ([]byte, error) {
	resp, body, err := c.call(ctx, Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, &ShapeError{Status: resp.StatusCode, URL: c.URL(path), Snippet: Snippet(c.Redactor, body), Err: err}
	}
	return body, nil
}

// ShapeError is a successful answer whose body is not the JSON expected.
type ShapeError struct {
	Status  int
	URL     string
	Snippet string
	Err     error
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("unexpected answer from %s (HTTP %d): %s; body starts: %s", e.URL, e.Status, describeJSONError(e.Err), e.Snippet)
}

func (e *ShapeError) Unwrap() error { return e.Err }

func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON"
	case errors.As(err, &typeErr):
		return fmt.Sprintf("field %q has the wrong type", typeErr.Field)
	default:
		return err.Error()
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}
