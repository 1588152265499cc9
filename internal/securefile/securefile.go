// Package securefile writes files that may hold secrets or tokens: private
// to their owner and replaced atomically, so a reader never sees half a file.
package securefile

import (
	"os"
	"path/filepath"
)

// Write stores data at path with mode 0600, creating missing directories
// with mode 0700. It writes a temporary file beside path and renames it
// over path.
func Write(path string, data []byte) error {
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
