package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Runtime holds the settings about how p1ctl runs rather than whom it talks
// to. They come from flags and P1CTL_* environment variables, not profiles.
type Runtime struct {
	Debug   bool
	Timeout time.Duration
	// NoCache turns the token cache off.
	NoCache bool
	// MaxRetries bounds retries after transient failures; -1 means none.
	MaxRetries int
	// Quiet silences progress notes such as retry announcements.
	Quiet bool
	// MinTTL is the least remaining lifetime of a reused cached token
	// (P1CTL_MIN_TTL); 0 reuses a token until it expires. MinTTLErr says
	// why P1CTL_MIN_TTL is unusable: it is the cache's concern alone, so
	// only the commands that use the cache stop on it.
	MinTTL    time.Duration
	MinTTLErr error
	// CacheDir is P1CTL_CACHE_DIR's value, "" when unset: auth.CacheDir
	// checks it, for the commands that use the cache.
	CacheDir string
}

// Runtime flags and their environment variables.
const (
	FlagDebug      = "debug"
	FlagTimeout    = "timeout"
	FlagMaxRetries = "max-retries"
	FlagQuiet      = "quiet"
	EnvDebug       = "P1CTL_DEBUG"
	EnvTimeout     = "P1CTL_TIMEOUT"
	EnvMinTTL      = "P1CTL_MIN_TTL"
	EnvNoCache     = "P1CTL_NO_CACHE"
	EnvRetries     = "P1CTL_MAX_RETRIES"
	EnvQuiet       = "P1CTL_QUIET"
	EnvCacheDir    = "P1CTL_CACHE_DIR"
)

// DefaultMaxRetries is how often a request is retried after a transient
// failure by default.
const DefaultMaxRetries = 3

// DefaultMinTTL is the least remaining lifetime a reused token must have
// unless --min-ttl or P1CTL_MIN_TTL says otherwise.
const DefaultMinTTL = 60 * time.Second

// DefaultTimeout bounds a whole command's network work.
const DefaultTimeout = 30 * time.Second

// The runtime settings: flags and variables only, never a profile.
var (
	keyDebug      = Key{Name: FlagDebug, Flag: FlagDebug, Env: []string{EnvDebug}}
	keyQuiet      = Key{Name: FlagQuiet, Flag: FlagQuiet, Env: []string{EnvQuiet}}
	keyNoCache    = Key{Name: "no-cache", Env: []string{EnvNoCache}}
	keyTimeout    = Key{Name: FlagTimeout, Flag: FlagTimeout, Env: []string{EnvTimeout}}
	keyMaxRetries = Key{Name: FlagMaxRetries, Flag: FlagMaxRetries, Env: []string{EnvRetries}}
	keyMinTTL     = Key{Name: "min-ttl", Env: []string{EnvMinTTL}}
	keyCacheDir   = Key{Name: "cache-dir", Env: []string{EnvCacheDir}}
)

// Runtime resolves the runtime settings through lookup, as Load does the
// others: flag, then environment, then default. An unusable
// P1CTL_MIN_TTL is not an error here but MinTTLErr.
func (l Loader) Runtime() (Runtime, error) {
	rt := Runtime{Timeout: DefaultTimeout, MaxRetries: DefaultMaxRetries, MinTTL: DefaultMinTTL}
	for _, b := range []struct {
		key *Key
		dst *bool
	}{{&keyDebug, &rt.Debug}, {&keyQuiet, &rt.Quiet}, {&keyNoCache, &rt.NoCache}} {
		v, src := l.runtimeValue(*b.key)
		if src.Kind == FromDefault {
			continue
		}
		var err error
		if *b.dst, err = strconv.ParseBool(v); err != nil {
			// pflag parses a boolean flag itself: only a variable gets here.
			return rt, &Error{Problem: fmt.Sprintf("%s=%q is not a boolean", src.Name, v), Hint: "use 1 or 0 (true or false)"}
		}
	}
	if v, src := l.runtimeValue(keyMaxRetries); src.Kind != FromDefault {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10 {
			return rt, &Error{Problem: fmt.Sprintf("max retries %q is not a whole number from 0 to 10", v), Hint: "set --max-retries or " + EnvRetries}
		}
		rt.MaxRetries = n
		if n == 0 {
			rt.MaxRetries = -1
		}
	}
	if v, src := l.runtimeValue(keyTimeout); src.Kind != FromDefault {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return rt, &Error{Problem: fmt.Sprintf("timeout %q is not a positive duration", v), Hint: "set --timeout or " + EnvTimeout + " to e.g. 30s or 2m"}
		}
		rt.Timeout = d
	}
	if v, src := l.runtimeValue(keyMinTTL); src.Kind != FromDefault {
		d, err := ParseMinTTL(v)
		if err != nil {
			d, rt.MinTTLErr = 0, &Error{Problem: err.Error(), Hint: "set " + EnvMinTTL + " to e.g. 60s or 30m"}
		}
		rt.MinTTL = d
	}
	rt.CacheDir, _ = l.runtimeValue(keyCacheDir)
	return rt, nil
}

// runtimeValue is lookup for a runtime setting, its value trimmed. Their
// variables have no aliases to convert, so lookup cannot fail.
func (l Loader) runtimeValue(k Key) (string, Source) {
	v, src, _ := l.lookup(k, profileLayer{})
	return strings.TrimSpace(v), src
}

// MaxMinTTL is the longest minimum token lifetime --min-ttl and
// P1CTL_MIN_TTL accept.
const MaxMinTTL = 24 * time.Hour

// minTTLRange states CheckMinTTL's rule in messages.
const minTTLRange = "between 0s and 24h"

// ErrMinTTLRange is CheckMinTTL's error: a minimum token lifetime out of
// range. Callers name the flag or variable it came from.
var ErrMinTTLRange = errors.New("not " + minTTLRange)

// CheckMinTTL is the one rule for a minimum token lifetime, from --min-ttl
// or P1CTL_MIN_TTL: from 0 (reuse a token until it expires) to MaxMinTTL.
// It returns ErrMinTTLRange for any other d.
func CheckMinTTL(d time.Duration) error {
	if d < 0 || d > MaxMinTTL {
		return ErrMinTTLRange
	}
	return nil
}

// ParseMinTTL parses a minimum token lifetime: a Go duration such as 90s
// or 30m that CheckMinTTL accepts.
func ParseMinTTL(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err == nil {
		err = CheckMinTTL(d)
	}
	if err != nil {
		return 0, fmt.Errorf("minimum token lifetime %q is not a duration %s", v, minTTLRange)
	}
	return d, nil
}
