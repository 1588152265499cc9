// Package securefile writes files that may hold secrets or tokens: private
// to their owner and replaced atomically, so a reader never sees half a file.
package securefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// Write stores data at path with mode 0600, creating missing directories
// with mode 0700. It writes a temporary file beside path, named
// "." + base name of path + ".tmp-" + random digits, flushes it to disk,
// and renames it over path, then flushes the directory, so that after a
// crash path holds either the old data or the new, never an empty file. If
// path is a symbolic link, the file it points to is replaced and the link
// kept.
//
// A process killed before the rename leaves its temporary file behind;
// TempFileOf recognizes such files.
func Write(path string, data []byte) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	return write(path, data)
}

// Replace is Write for files in a private directory (see PrivateDir): a
// symbolic link or any other file at path is replaced, never written
// through, so that a planted link cannot make it overwrite the file the
// link points to.
func Replace(path string, data []byte) error {
	return write(path, data)
}

func write(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempInfix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	// Without this, the rename may reach the disk before the data does,
	// and a power loss leave path empty.
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// tempInfix separates the target's base name from the random digits in
// the name of Write's temporary file.
const tempInfix = ".tmp-"

// TempFileOf returns the base name of the file that name, the base name of
// a temporary file Write made (".config.yaml.tmp-123456"), was to replace
// ("config.yaml"); ok is false when name is not such a file.
func TempFileOf(name string) (target string, ok bool) {
	rest, found := strings.CutPrefix(name, ".")
	if !found {
		return "", false
	}
	i := strings.LastIndex(rest, tempInfix)
	if i <= 0 {
		return "", false
	}
	digits := rest[i+len(tempInfix):]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return rest[:i], true
}

// syncFile flushes a file to disk; tests replace it.
var syncFile = (*os.File).Sync

// syncDir flushes a directory's entries to disk, so that a rename in it
// survives a crash; tests replace it.
var syncDir = syncDirectory

func syncDirectory(dir string) error {
	if runtime.GOOS == "windows" {
		// Directories cannot be flushed there; NTFS journals renames.
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		// A directory the user may write to but not read (mode 0300):
		// the file is in place, only its durability is not assured.
		return nil
	}
	defer d.Close()
	err = d.Sync()
	if errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EINVAL) {
		// File systems that cannot flush a directory.
		return nil
	}
	return err
}

// PrivateDir makes sure dir exists and that no one but the current user
// (and root) can change what is in it: create, remove, rename or replace
// its entries.
//
// A missing directory is created with mode 0700. An existing one is
// refused, unchanged, if it belongs to another user or if group or others
// may write to it (such as /tmp): it is not this program's to take over,
// and files already in it may have been planted by someone else. An
// accepted directory loses its group and other permission bits (0755
// becomes 0700, 0555 becomes 0500); no bit is ever added, so a directory
// the user made read-only stays read-only. If that change fails (a
// read-only mount, say), the directory is used as it is and PrivateDir
// still succeeds: group and others may then still list it (its files'
// names, sizes and times), but not change it, and what its files hold is
// protected by their own mode (Write makes them 0600).
//
// PrivateDir does not promise that dir is writable: writes into it may
// still fail, and callers must cope. On Windows, where access is governed
// by ACLs, an existing directory is used as it is.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	perm := info.Mode().Perm()
	switch {
	case !ownedByCurrentUser(info):
		return fmt.Errorf("%s belongs to another user", dir)
	case perm&0o022 != 0:
		return fmt.Errorf("%s is writable by other users, mode %04o", dir, perm)
	case perm&0o077 != 0:
		// Only the user can change the directory's entries, which is what
		// makes it safe to read from, so a failure here is not fatal. The
		// mode keeps the setuid, setgid and sticky bits.
		_ = chmod(dir, info.Mode()&^0o077)
	}
	return nil
}

// chmod is os.Chmod, replaced in tests to make it fail.
var chmod = os.Chmod
