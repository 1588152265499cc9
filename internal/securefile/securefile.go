// Package securefile writes files that may hold secrets or tokens: private
// to their owner and replaced atomically, so a reader never sees half a file.
package securefile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Write stores data at path with mode 0600, creating missing directories
// with mode 0700. It writes a temporary file beside path and renames it
// over path. If path is a symbolic link, the file it points to is replaced
// and the link kept.
func Write(path string, data []byte) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
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
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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
