package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
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
)

// DefaultMaxRetries is how often a request is retried after a transient
// failure by default.
const DefaultMaxRetries = 3

// DefaultMinTTL is the least remaining lifetime a reused token must have
// unless --min-ttl or P1CTL_MIN_TTL says otherwise.
const DefaultMinTTL = 60 * time.Second

// DefaultTimeout bounds a whole command's network work.
const DefaultTimeout = 30 * time.Second

// LoadRuntime resolves the runtime settings: flag, then environment, then
// default.
func LoadRuntime(flags *pflag.FlagSet) (Runtime, error) {
	l := Loader{Flags: flags}
	rt := Runtime{Timeout: DefaultTimeout, MaxRetries: DefaultMaxRetries}
	var err error
	if rt.Debug, err = l.boolSetting(FlagDebug, EnvDebug); err != nil {
		return rt, err
	}
	if rt.Quiet, err = l.boolSetting(FlagQuiet, EnvQuiet); err != nil {
		return rt, err
	}
	if rt.NoCache, err = l.boolSetting("", EnvNoCache); err != nil {
		return rt, err
	}
	if v, ok := l.flagOrEnv(FlagMaxRetries, EnvRetries); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10 {
			return rt, &Error{Problem: fmt.Sprintf("max retries %q is not a whole number from 0 to 10", v), Hint: "set --max-retries or " + EnvRetries}
		}
		rt.MaxRetries = n
		if n == 0 {
			rt.MaxRetries = -1
		}
	}
	if v, ok := l.flagOrEnv(FlagTimeout, EnvTimeout); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return rt, &Error{Problem: fmt.Sprintf("timeout %q is not a positive duration", v), Hint: "set --timeout or " + EnvTimeout + " to e.g. 30s or 2m"}
		}
		rt.Timeout = d
	}
	return rt, nil
}

// boolSetting reads a boolean from a flag, else an environment variable.
func (l Loader) boolSetting(flag, env string) (bool, error) {
	v, ok := l.flagOrEnv(flag, env)
	if !ok {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &Error{Problem: fmt.Sprintf("%s=%q is not a boolean", env, v), Hint: "use 1 or 0 (true or false)"}
	}
	return b, nil
}

// flagOrEnv returns the value of flag, else of the variable env; blank
// values count as unset.
func (l Loader) flagOrEnv(flag, env string) (string, bool) {
	if v, ok := l.flagValue(flag); ok {
		return v, true
	}
	if v := strings.TrimSpace(os.Getenv(env)); v != "" {
		return v, true
	}
	return "", false
}

// LoadMinTTL returns the least remaining lifetime of a reused cached token:
// P1CTL_MIN_TTL, else DefaultMinTTL. 0 reuses a token until it expires. It
// is read apart from the other runtime settings, only where the token
// cache is used, so that a bad value stops nothing else.
func LoadMinTTL() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(EnvMinTTL))
	if v == "" {
		return DefaultMinTTL, nil
	}
	d, err := ParseMinTTL(v)
	if err != nil {
		return 0, &Error{Problem: err.Error(), Hint: "set " + EnvMinTTL + " to e.g. 60s or 30m"}
	}
	return d, nil
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
