// Package keychain keeps client secrets in the OS keychain: the macOS
// Keychain, the Windows Credential Manager or the Secret Service on Linux
// and the BSDs. Items belong to service "p1ctl" and are named after the
// config-file profile that uses them.
package keychain

import (
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service every p1ctl item belongs to.
const Service = "p1ctl"

// DefaultTimeout bounds one keychain call when the caller gives no bound.
const DefaultTimeout = 30 * time.Second

// ErrNotFound means the keychain holds no item for the profile.
var ErrNotFound = errors.New("no item in the OS keychain")

// UnavailableError means no keychain could be reached: no D-Bus session or
// Secret Service (CI, containers), or a platform without one.
type UnavailableError struct{ Err error }

func (e *UnavailableError) Error() string {
	return "the OS keychain is not available: " + e.Err.Error()
}
func (e *UnavailableError) Unwrap() error { return e.Err }

// TimeoutError means the keychain did not answer in time, e.g. a D-Bus call
// that hung or an unlock prompt nobody answered.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the OS keychain did not answer within %s", e.After)
}

// Store reads and writes p1ctl's items in the OS keychain.
type Store struct {
	// Timeout bounds each call; zero means DefaultTimeout.
	Timeout time.Duration
}

// Describe names where a profile's secret is kept, for provenance.
func Describe(profile string) string {
	return fmt.Sprintf("OS keychain (service %s, profile %s)", Service, profile)
}

// Get returns the secret stored for profile, or ErrNotFound.
func (s Store) Get(profile string) (string, error) {
	return bounded(s.timeout(), func() (string, error) { return keyring.Get(Service, profile) })
}

// Set stores secret for profile, replacing any earlier one.
func (s Store) Set(profile, secret string) error {
	_, err := bounded(s.timeout(), func() (struct{}, error) { return struct{}{}, keyring.Set(Service, profile, secret) })
	return err
}

// Delete removes profile's item; ErrNotFound when there is none.
func (s Store) Delete(profile string) error {
	_, err := bounded(s.timeout(), func() (struct{}, error) { return struct{}{}, keyring.Delete(Service, profile) })
	return err
}

func (s Store) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

// bounded runs call and gives up after timeout: the library's calls take
// no context, and a D-Bus call can block forever. A call given up on is
// left to finish in its goroutine; p1ctl exits soon after.
func bounded[T any](timeout time.Duration, call func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, classify(r.err)
	case <-timer.C:
		var zero T
		return zero, &TimeoutError{After: timeout}
	}
}

// classify maps the library's errors onto this package's: any failure
// other than a missing item means the keychain could not be used.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return err
	default:
		return &UnavailableError{Err: err}
	}
}
