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

// PrivateDir makes sure dir exists and only the current user can use it. A
// missing directory is created with mode 0700; an existing one of the
// current user that group or others may read is tightened to 0700. A
// directory that belongs to another user, or that group or others may
// write to (such as /tmp), is refused rather than changed: it is not this
// program's to take over, and files already in it may have been planted by
// someone else. On Windows, where access
// is governed by ACLs, an existing directory is used as it is.
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
		return os.Chmod(dir, 0o700)
	}
	return nil
}
