package keychain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestStoreRoundTrip(t *testing.T) {
	keyring.MockInit()
	s := Store{}
	if _, err := s.Get("prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: err = %v, want ErrNotFound", err)
	}
	if err := s.Set("prod", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get("prod"); err != nil || got != "s3cret" {
		t.Fatalf("Get = %q, %v; want the stored secret", got, err)
	}
	// Items are per profile: another profile's is separate.
	if _, err := s.Get("staging"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(staging): err = %v, want ErrNotFound", err)
	}
	if err := s.Delete("prod"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("prod"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: err = %v, want ErrNotFound", err)
	}
}

func TestUnavailable(t *testing.T) {
	cause := errors.New("no D-Bus session")
	keyring.MockInitWithError(cause)
	t.Cleanup(keyring.MockInit)
	_, err := Store{}.Get("prod")
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) || !errors.Is(err, cause) {
		t.Fatalf("err = %v, want an *UnavailableError wrapping the cause", err)
	}
}

// TestBoundedGivesUp checks a call that never returns is abandoned with a
// *TimeoutError, as a hung D-Bus call would be.
func TestBoundedGivesUp(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	_, err := bounded(time.Millisecond, func() (string, error) {
		<-release
		return "late", nil
	})
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || timeout.After != time.Millisecond {
		t.Fatalf("err = %v, want a *TimeoutError after 1ms", err)
	}
}

func TestDescribeNamesServiceAndProfile(t *testing.T) {
	got := Describe("prod")
	for _, want := range []string{Service, "prod"} {
		if !strings.Contains(got, want) {
			t.Errorf("Describe = %q, does not name %q", got, want)
		}
	}
}
