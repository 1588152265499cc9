//go:build unix

package auth_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/auth"
)

// The private key file must be a regular file of at most 1 MiB; a FIFO
// would hang this test until go test's own timeout without the check.
func TestNewKeySignerRefusesFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "key.pem")
	mustMkfifo(t, fifo)
	large := writeKey(t, []byte(strings.Repeat("x", 1<<20+1)), 0o600)
	for file, want := range map[string]string{fifo: "FIFO", "/dev/zero": "device", large: "1 MiB"} {
		_, err := auth.NewKeySigner(file, "")
		var keyErr *auth.KeyError
		if !errors.As(err, &keyErr) || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), want) {
			t.Errorf("NewKeySigner(%s) = %v, want a *KeyError naming it and %q", file, err, want)
		}
	}
}
