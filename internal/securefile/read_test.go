package securefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// readers are the two ways to read a file, which share their checks.
var readers = map[string]func(string, int64) ([]byte, fs.FileInfo, error){
	"ReadFile":         ReadFile,
	"ReadFileNoFollow": ReadFileNoFollow,
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 9, 10, 11, 4096} {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, []byte(strings.Repeat("x", size)), 0o600); err != nil {
			t.Fatal(err)
		}
		for name, read := range readers {
			data, _, err := read(path, 10)
			var tl *TooLargeError
			switch {
			case size <= 10 && (err != nil || len(data) != size):
				t.Errorf("%s of %d bytes = %d bytes, %v", name, size, len(data), err)
			case size > 10 && (!errors.As(err, &tl) || tl.Limit != 10 || data != nil):
				t.Errorf("%s of %d bytes = %v, want a *TooLargeError", name, size, err)
			}
		}
	}
}

func TestReadFileRefusesDirectory(t *testing.T) {
	for name, read := range readers {
		_, _, err := read(t.TempDir(), 10)
		var nr *NotRegularError
		if !errors.As(err, &nr) || !nr.Mode.IsDir() {
			t.Errorf("%s(directory) = %v, want a *NotRegularError", name, err)
		}
	}
}

func TestReadFileMissing(t *testing.T) {
	for name, read := range readers {
		_, _, err := read(filepath.Join(t.TempDir(), "none"), 10)
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Op != "open" {
			t.Errorf("%s(missing) = %v, want fs.ErrNotExist from open", name, err)
		}
	}
}

// ReadFile follows a link to a regular file (a config file kept with the
// user's dotfiles); ReadFileNoFollow refuses any link.
func TestReadFileSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if data, _, err := ReadFile(link, 10); err != nil || string(data) != "data" {
		t.Errorf("ReadFile(link) = %q, %v; want the target's data", data, err)
	}
	_, _, err := ReadFileNoFollow(link, 10)
	var nr *NotRegularError
	if !errors.As(err, &nr) || nr.Mode&fs.ModeSymlink == 0 {
		t.Errorf("ReadFileNoFollow(link) = %v, want a *NotRegularError for a link", err)
	}
	// A link to a device is refused by both.
	if err := os.Symlink(os.DevNull, filepath.Join(dir, "null")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFile(filepath.Join(dir, "null"), 10); !errors.As(err, &nr) {
		t.Errorf("ReadFile(link to %s) = %v, want a *NotRegularError", os.DevNull, err)
	}
}

// Replace puts a regular file where a link was and leaves the link's
// target alone; Write writes through the link.
func TestReplaceDoesNotFollowSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "token.json")
	if err := os.Symlink(outside, path); err != nil {
		t.Fatal(err)
	}
	if err := Replace(path, []byte("token")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(outside); string(got) != "precious" {
		t.Errorf("link target now holds %q", got)
	}
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 {
		t.Fatalf("%s after Replace: %v, %v; want a regular file, mode 0600", path, info.Mode(), err)
	}
	if got, _ := os.ReadFile(path); string(got) != "token" {
		t.Errorf("file holds %q", got)
	}
}
