package auth

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/p1ctl/p1ctl/internal/httpx"
)

// maxTokenAnswer is how much of a token answer golang.org/x/oauth2 reads:
// it parses what fits and ignores the rest.
const maxTokenAnswer = 1 << 20

// tokenTransport wraps the HTTP client's transport for one Fetch. It reads
// each answer whole before golang.org/x/oauth2 sees it and records the
// error that ended the reading, which oauth2 would report as a string only
// (so a timeout, a broken connection or an answer larger than oauth2 reads
// would otherwise look like an unusable answer). With resign set (client
// assertions) it also gives every attempt to send the request a freshly
// signed assertion: the retry layer re-sends a body through the request's
// GetBody, and a server may refuse an assertion whose jti it has already
// seen, as PingOne may.
type tokenTransport struct {
	base http.RoundTripper
	// resign returns a new client assertion; nil leaves bodies alone.
	resign func() (string, error)

	mu      sync.Mutex
	sent    bool  // a request went out already
	readErr error // what ended reading the latest answer's body
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.resign != nil && req.Body != nil && req.Body != http.NoBody {
		var err error
		if req, err = t.withFreshAssertions(req); err != nil {
			return nil, err
		}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer+1))
	resp.Body.Close()
	if err == nil && len(data) > maxTokenAnswer {
		if resp.StatusCode/100 == 2 {
			err = &httpx.TooLargeError{Host: req.URL.Host, Limit: maxTokenAnswer}
		} else {
			// An error answer keeps its status (and Retry-After): oauth2
			// reports it from its start, as it reads it.
			data = data[:maxTokenAnswer]
		}
	}
	if err != nil {
		t.mu.Lock()
		t.readErr = err
		t.mu.Unlock()
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, nil
}

// withFreshAssertions returns req with a GetBody that signs a new assertion
// each time it is called. The first request of a Fetch goes out with the
// assertion Fetch signed; any later one (after a redirect) gets a new one
// too.
func (t *tokenTransport) withFreshAssertions(req *http.Request) (*http.Request, error) {
	orig, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(orig))
	if err != nil || !form.Has("client_assertion") {
		// Not a body this transport made: send it as it came.
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(orig))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(orig)), nil }
		return req, nil
	}
	fresh := func() ([]byte, error) {
		assertion, err := t.resign()
		if err != nil {
			return nil, err
		}
		form.Set("client_assertion", assertion)
		b := []byte(form.Encode())
		if len(b) != len(orig) {
			// The request's Content-Length, which the retry layer keeps,
			// would not match. Assertions of one signer have one length
			// (fixed-size signatures, ten-digit times), so this does not
			// happen; should it, re-sending the old body is no worse than
			// failing.
			return orig, nil
		}
		return b, nil
	}
	first := orig
	t.mu.Lock()
	again := t.sent
	t.sent = true
	t.mu.Unlock()
	if again {
		if first, err = fresh(); err != nil {
			return nil, err
		}
	}
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(bytes.NewReader(first))
	req.GetBody = func() (io.ReadCloser, error) {
		b, err := fresh()
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return req, nil
}

// lastReadErr returns the error that ended reading an answer's body, or
// nil if every answer was read whole.
func (t *tokenTransport) lastReadErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.readErr
}
