//go:build unix

package securefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO is refused without waiting for a writer; without the check this
// test hangs until go test's own timeout.
func TestReadFileRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, read := range readers {
		_, _, err := read(path, 1<<20)
		var nr *NotRegularError
		if !errors.As(err, &nr) || nr.Mode&fs.ModeNamedPipe == 0 {
			t.Errorf("%s(FIFO) = %v, want a *NotRegularError for a named pipe", name, err)
		}
	}
}

// A device that never ends is refused rather than read until memory
// runs out.
func TestReadFileRefusesDevice(t *testing.T) {
	for name, read := range readers {
		_, _, err := read("/dev/zero", 1<<20)
		var nr *NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), "/dev/zero") {
			t.Errorf("%s(/dev/zero) = %v, want a *NotRegularError naming it", name, err)
		}
	}
}

// CheckTrusted takes the file as ssh takes ~/.ssh/config: refused when
// group or others may write it.
func TestCheckTrustedMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for mode, trusted := range map[os.FileMode]bool{0o600: true, 0o644: true, 0o400: true, 0o620: false, 0o602: false, 0o666: false} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, info, err := ReadFile(path, 10)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckTrusted(path, info)
		var ue *UntrustedError
		if got := !errors.As(err, &ue); got != trusted {
			t.Errorf("mode %04o: CheckTrusted = %v, want trusted %v", mode, err, trusted)
		}
		if ue != nil && (ue.OtherOwner || ue.Mode != mode) {
			t.Errorf("mode %04o: error %+v, want the mode named", mode, ue)
		}
	}
}

// A file of another user is refused, even private to that user; root's
// files are trusted (as ssh trusts them).
func TestCheckTrustedOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a file owned by another user")
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, info, _ := ReadFile(path, 10); CheckTrusted(path, info) != nil {
		t.Errorf("root's own file refused: %v", CheckTrusted(path, info))
	}
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	_, info, err := ReadFile(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	err = CheckTrusted(path, info)
	var ue *UntrustedError
	if !errors.As(err, &ue) || !ue.OtherOwner || ue.Owner != 65534 {
		t.Errorf("CheckTrusted(file of nobody) = %v, want an *UntrustedError naming user 65534", err)
	}
}
