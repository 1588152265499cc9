package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Store keeps tokens between runs; see FileCache. Implementations must be
// safe for concurrent use by several processes.
type Store interface {
	// Get returns a stored token that is valid for at least minTTL, or
	// fetches one with fetch, stores it and returns it. It makes sure that
	// concurrent callers with a cold store call fetch once between them.
	Get(ctx context.Context, minTTL time.Duration, fetch func(context.Context) (*Token, error)) (*Token, error)
	// Replace fetches a new token with fetch and stores it, unless the
	// stored token is no longer stale (another process replaced it first).
	Replace(ctx context.Context, stale string, fetch func(context.Context) (*Token, error)) (*Token, error)
}

// Source hands out access tokens for one client configuration, reusing a
// token while it has at least MinTTL left. It implements api.TokenSource.
type Source struct {
	// Client fetches new tokens.
	Client *Client
	// Store keeps tokens between runs; nil means no caching between runs.
	Store Store
	// MinTTL is the least remaining lifetime of a reused token.
	MinTTL time.Duration
	// ForceRefresh makes the first call fetch a new token even if a cached
	// one is still good.
	ForceRefresh bool
	// OnToken is called with every token handed out (to register it for
	// redaction).
	OnToken func(*Token)
	// Warn, if set, is told once when PingOne issues tokens that live
	// shorter than MinTTL, so the promised lifetime cannot be met.
	Warn func(string)

	warnedShort bool

	mu      sync.Mutex
	current *Token
}

// inUseMargin is how long before its expiry a token this Source already
// handed out stops being used for further requests: long enough for a
// request to reach PingOne before the token expires.
const inUseMargin = 10 * time.Second

// Token returns a token valid for at least MinTTL. MinTTL applies to the
// first token a Source hands out; later calls, such as the requests of one
// command paging through a list, reuse that token until shortly before it
// expires, so tokens shorter-lived than MinTTL are not fetched anew for
// every request.
func (s *Source) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		// The time went to reading settings and files, not to PingOne.
		return nil, &NotSentError{Err: err}
	}
	now := s.Client.now()
	if s.current.Valid(now, min(s.MinTTL, inUseMargin)) {
		return s.current, nil
	}
	var tok *Token
	var err error
	switch {
	case s.Store == nil:
		tok, err = s.Client.Fetch(ctx)
	case s.ForceRefresh:
		tok, err = s.Store.Replace(ctx, "", s.Client.Fetch)
	default:
		tok, err = s.Store.Get(ctx, s.MinTTL, s.Client.Fetch)
	}
	if err != nil {
		return nil, err
	}
	s.ForceRefresh = false
	s.remember(tok)
	s.checkLifetime(tok, now)
	return tok, nil
}

// NotSentError is a token request that was never sent: the command was
// interrupted or ran out of --timeout before it, while p1ctl read its
// configuration and token cache or waited for another p1ctl's token
// request. It is not a network failure.
type NotSentError struct {
	// Err is the context's error: context.DeadlineExceeded or
	// context.Canceled.
	Err error
}

func (e *NotSentError) Error() string {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return "--timeout ran out before the token request was sent"
	}
	return "interrupted before the token request was sent"
}

func (e *NotSentError) Unwrap() error { return e.Err }

// lifetimeSlack is how much shorter than MinTTL a token handed out may
// live without a warning: a token's expiry is counted in whole seconds from
// before its request, so a new token never quite has the lifetime PingOne
// issues it with (--min-ttl 1h with one-hour tokens).
const lifetimeSlack = 2 * time.Second

// checkLifetime warns once when tok, although just handed out, is good for
// less than MinTTL: the token endpoint issues shorter-lived tokens than the
// caller asked for, so no token can meet MinTTL.
func (s *Source) checkLifetime(tok *Token, now time.Time) {
	if s.Warn == nil || s.warnedShort || tok.Valid(now, s.MinTTL-lifetimeSlack) {
		return
	}
	s.warnedShort = true
	msg := fmt.Sprintf("the token is valid for only %s, less than the minimum lifetime %s (--min-ttl or P1CTL_MIN_TTL): PingOne issues shorter-lived tokens for this client",
		tok.ExpiresIn(now).Truncate(time.Second), s.MinTTL)
	if s.Store != nil {
		msg += ", so a cached token is reused only in the first tenth of its life"
	}
	s.Warn(msg)
}

func (s *Source) remember(tok *Token) {
	s.current = tok
	if s.OnToken != nil {
		s.OnToken(tok)
	}
}

// AccessToken returns the bearer token string.
func (s *Source) AccessToken(ctx context.Context) (string, error) {
	tok, err := s.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// Invalidate discards token after PingOne refused it and fetches a new
// one, replacing it in the store too. It returns the error of that fetch:
// the caller must not send the refused token again. A token other than the
// current one is ignored (it was already replaced).
func (s *Source) Invalidate(ctx context.Context, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil || s.current.AccessToken != token {
		return nil
	}
	s.current = nil
	if s.Store == nil {
		return nil
	}
	tok, err := s.Store.Replace(ctx, token, s.Client.Fetch)
	if err != nil {
		return err
	}
	s.remember(tok)
	return nil
}
