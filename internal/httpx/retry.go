package httpx

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry policy defaults.
const (
	DefaultMaxRetries = 3
	baseBackoff       = 500 * time.Millisecond
	maxBackoff        = 30 * time.Second
	// maxPeekBytes bounds how much of an error body is read to find
	// PingOne's innerError.retryAfter.
	maxPeekBytes = 64 << 10
)

type sendOnceKey struct{}

// SendOnce marks requests made with ctx to be sent once by the client's
// transport, for a caller that retries them itself with RetryOf's policy
// because each attempt must be built anew (a token request signs a new
// client assertion for each).
func SendOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, sendOnceKey{}, true)
}

// idempotent reports whether req may be sent again after it may have
// reached the server.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Retry is the retry policy of a client NewClient made: which failures are
// transient, how long to wait before the next attempt, and whom to tell.
// A nil *Retry retries nothing.
type Retry struct {
	maxRetries int
	notify     func(string)
	sleep      func(context.Context, time.Duration) error
	jitter     func(time.Duration) time.Duration
}

// RetryOf returns the retry policy of a client NewClient made, or nil if
// it retries nothing.
func RetryOf(c *http.Client) *Retry {
	if t, ok := c.Transport.(*retryTransport); ok {
		return t.retry
	}
	return nil
}

// retryTransport sends a request again after a transient failure (see
// Retry.Wait). A request that is not safe to repeat is retried only when it
// cannot have reached the server (the connection was never made).
type retryTransport struct {
	base  http.RoundTripper
	retry *Retry
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if once, _ := req.Context().Value(sendOnceKey{}).(bool); once {
		return t.base.RoundTrip(req)
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 && req.Body != nil {
			if req.GetBody == nil {
				return nil, errors.New("cannot retry a request whose body cannot be replayed")
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		resp, err := t.base.RoundTrip(req)
		if !idempotent(req) && (err == nil || !neverSent(err)) {
			return resp, err
		}
		again, waitErr := t.retry.Wait(req.Context(), req.URL.Host, attempt, resp, err)
		if waitErr != nil {
			return nil, waitErr
		}
		if !again {
			return resp, err
		}
	}
}

// Wait decides whether an exchange with host is worth another attempt after
// attempt number attempt (0 for the first) ended with resp or err: 429, 502,
// 503, 504 or a network error another attempt may cure, while retries are
// left and the wait (exponential backoff with jitter, or as long as the
// server asked) ends before ctx's deadline. If so it closes resp, announces
// the retry, waits and returns true; it returns ctx's error if ctx ends
// while waiting. The caller has made sure the request is safe to repeat.
func (r *Retry) Wait(ctx context.Context, host string, attempt int, resp *http.Response, err error) (bool, error) {
	if r == nil || attempt >= r.maxRetries {
		return false, nil
	}
	wait, reason, retry := shouldRetry(ctx, host, resp, err)
	if !retry {
		return false, nil
	}
	if wait == 0 {
		wait = r.backoff(attempt)
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		// Waiting would overrun --timeout: report the failure now.
		return false, nil
	}
	if resp != nil {
		drain(resp)
	}
	if r.notify != nil {
		r.notify(fmt.Sprintf("retrying in %s: %s", roundWait(wait), reason))
	}
	if err := r.sleep(ctx, wait); err != nil {
		return false, err
	}
	return true, nil
}

// shouldRetry decides whether an outcome is worth another attempt, how long
// the server asked to wait (0 if it did not say), and how to describe it.
func shouldRetry(ctx context.Context, host string, resp *http.Response, err error) (time.Duration, string, bool) {
	if err != nil {
		var ne *NetworkError
		if ctx.Err() != nil || !errors.As(err, &ne) || permanent(ne.Err) {
			return 0, "", false
		}
		return 0, ne.Error(), true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, "", false
	}
	wait, code, note := retryAfter(resp)
	reason := strconv.Itoa(resp.StatusCode)
	if code != "" {
		reason += " " + code
	}
	reason += " from " + host
	if note != "" {
		reason += "; " + note
	}
	return wait, reason, true
}

// permanent reports network failures that another attempt will not cure:
// a host name that does not exist, or a certificate that does not verify.
func permanent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuthority) || errors.As(err, &hostnameErr)
}

// neverSent reports whether a network error happened before any byte of the
// request could reach the server.
func neverSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// maxRetryAfterShown is the longest unusable Retry-After value quoted in a
// message; an HTTP date is 29 bytes.
const maxRetryAfterShown = 40

// RetryAfter is what a Retry-After header value asks for.
type RetryAfter struct {
	// Value is the header as sent, trimmed.
	Value string
	// Wait is how long it asks to wait from the moment it was read; 0
	// when unusable or in the past.
	Wait time.Duration
	// At is the time it names, for an HTTP date; zero for seconds.
	At time.Time
	// OK reports whether the value is delay-seconds or an HTTP date
	// (RFC 9110, section 10.2.3); a negative number is neither.
	OK bool
}

// ParseRetryAfter reads a Retry-After value as of now.
func ParseRetryAfter(v string, now time.Time) RetryAfter {
	ra := RetryAfter{Value: strings.TrimSpace(v)}
	if secs, err := strconv.ParseUint(ra.Value, 10, 64); err == nil {
		// Capped before converting: a huge value would overflow.
		ra.Wait = time.Duration(min(secs, 1e9)) * time.Second
		ra.OK = true
	} else if at, err := http.ParseTime(ra.Value); err == nil {
		ra.At, ra.Wait, ra.OK = at.UTC(), max(at.Sub(now), 0), true
	}
	return ra
}

// Describe says what the value asks, for messages: "12s", "until
// 10:42:07 UTC" (with the date when it is not today's), or, for a value
// that is neither, the value quoted and why it is ignored.
func (ra RetryAfter) Describe(now time.Time) string {
	switch {
	case !ra.OK:
		// Quoted only whole (never cut), so the redactor applied to the
		// finished message can mask any secret in it.
		shown := fmt.Sprintf("%q", ra.Value)
		if len(ra.Value) > maxRetryAfterShown {
			shown = fmt.Sprintf("of %d bytes", len(ra.Value))
		}
		return shown + ", which is neither a number of seconds nor an HTTP date"
	case ra.At.IsZero():
		return ra.Value + "s"
	case ra.At.Format(time.DateOnly) == now.UTC().Format(time.DateOnly):
		return "until " + ra.At.Format(time.TimeOnly) + " UTC"
	default:
		return "until " + ra.At.Format(time.DateTime) + " UTC"
	}
}

// DescribeRetryAfter describes a Retry-After value as of now (see
// RetryAfter.Describe), and reports whether it is usable.
func DescribeRetryAfter(v string) (string, bool) {
	now := time.Now()
	ra := ParseRetryAfter(v, now)
	return ra.Describe(now), ra.OK
}

// retryAfter reads the Retry-After header (seconds or an HTTP date) or
// PingOne's details[].innerError.retryAfter, and the PingOne error code,
// and says what the server asked, for the retry message ("" if nothing).
// It leaves the response body readable.
func retryAfter(resp *http.Response) (time.Duration, string, string) {
	var wait time.Duration
	var note string
	ignored := false
	if v := resp.Header.Get("Retry-After"); strings.TrimSpace(v) != "" {
		now := time.Now()
		ra := ParseRetryAfter(v, now)
		wait = ra.Wait
		// Seconds within the cap need no note: "retrying in 3s" says it.
		switch {
		case !ra.OK:
			note, ignored = "ignoring its Retry-After "+ra.Describe(now), true
		case !ra.At.IsZero() && ra.Wait == 0:
			note = "it asked to wait " + ra.Describe(now) + ", which has passed"
		case !ra.At.IsZero():
			note = "it asked to wait " + ra.Describe(now)
		case ra.Wait > maxBackoff:
			note = fmt.Sprintf("it asked to wait %s; p1ctl waits at most %s", ra.Describe(now), maxBackoff)
		}
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxPeekBytes))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	var pingErr struct {
		Code    string `json:"code"`
		Details []struct {
			InnerError struct {
				// Raw: Ping's OpenAPI description types it as a date-time
				// string, older answers carried seconds as a number.
				RetryAfter json.RawMessage `json:"retryAfter"`
			} `json:"innerError"`
		} `json:"details"`
	}
	if json.Unmarshal(body, &pingErr) == nil && wait == 0 {
		for _, d := range pingErr.Details {
			if w := innerRetryAfter(d.InnerError.RetryAfter); w > 0 {
				wait = w
				break
			}
		}
	}
	if ignored && wait == 0 {
		note += ", so waiting the default backoff"
	}
	return min(wait, maxBackoff), pingErr.Code, note
}

// innerRetryAfter reads an innerError.retryAfter: seconds as a JSON number,
// or a date-time (RFC 3339) string to retry at. Anything else is 0.
func innerRetryAfter(raw json.RawMessage) time.Duration {
	var secs float64
	if json.Unmarshal(raw, &secs) == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, maxBackoff.Seconds()) * float64(time.Second))
	}
	var at string
	if json.Unmarshal(raw, &at) != nil {
		return 0
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return 0
	}
	return min(max(time.Until(t), 0), maxBackoff)
}

// backoff is the wait before retry number attempt+1 when the server gave
// none: 0.5s, 1s, 2s, ... capped at 30s, with full jitter over its upper
// half so that parallel CI jobs do not retry in step.
func (r *Retry) backoff(attempt int) time.Duration {
	d := min(baseBackoff<<attempt, maxBackoff)
	return r.jitter(d)
}

func halfJitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(10 * time.Millisecond)
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxPeekBytes))
	resp.Body.Close()
}
